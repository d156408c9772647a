import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  /** json by default; the CLI picks pretty when stderr is a terminal. */
  format?: LogFormat;
  /** Where JSON lines go (tests capture them); stderr when absent. */
  destination?: DestinationStream;
}

/**
 * What pino-pretty shows: the time as a wall clock instead of epoch milliseconds, one line per
 * entry (an access line stays one line), without the fields every line repeats.
 */
export const PRETTY_OPTIONS = {
  destination: 2,
  translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
  singleLine: true,
  ignore: 'pid,hostname,service',
} as const;

/**
 * Logs go to stderr, so stdout stays free for command output (reports, NDJSON). JSON lines carry
 * an ISO time, which log shippers parse and people can read; on a terminal pino's own pretty
 * transport prints them for people.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = { level, base: { service: 'loopwatch' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.format === 'pretty' && !options.destination && prettyInstalled()) {
    const colorize = Boolean(process.stderr.isTTY);
    return pino({ ...settings, transport: { target: 'pino-pretty', options: { ...PRETTY_OPTIONS, colorize } } });
  }
  return pino(settings, options.destination ?? pino.destination({ dest: 2, sync: false }));
}

/** pino-pretty is an ordinary dependency, but a trimmed install without it still logs (as JSON). */
function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
