import { pino, type Logger } from 'pino';

/** JSON lines on stderr, so stdout stays free for command output (reports, NDJSON). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'loopwatch' } }, pino.destination({ dest: 2, sync: false }));
}
