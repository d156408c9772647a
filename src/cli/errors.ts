import { ConfigError, LoopwatchError } from '../errors.js';

/**
 * What the CLI prints for an error that ends a command: one line, `loopwatch: <message>`, and
 * exit code 1 (ingest's 2 for rejected events is not an error). A stack trace helps only us:
 * LOOPWATCH_DEBUG=1 adds it.
 */
export function cliErrorLine(err: unknown): string {
  return `loopwatch: ${oneLine(describe(err))}`;
}

function describe(err: unknown): string {
  if (err instanceof ConfigError) return `invalid configuration: ${err.problems.join('; ')}`;
  if (err instanceof LoopwatchError) return err.message;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; syscall?: string };
  if (e?.syscall === 'listen') return listenError(e);
  if (err instanceof Error) {
    // the chain of causes says what actually failed: "fetch failed: connect ECONNREFUSED …"
    const parts = [err.message];
    for (let c = err.cause, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) parts.push(c.message);
    return parts.filter(Boolean).join(': ');
  }
  return String(err);
}

function listenError(e: NodeJS.ErrnoException & { address?: string; port?: number }): string {
  const where = e.address !== undefined ? `${e.address}:${e.port}` : String(e.port ?? '');
  if (e.code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use by another process; choose another with --port (or LOOPWATCH_PORT)`;
  if (e.code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose another with --port`;
  if (e.code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: no such address on this machine; check --host (or LOOPWATCH_HOST)`;
  return `cannot listen on ${where}: ${e.message}`;
}

/** A message from below (a driver's, node's) may span lines: the user gets one. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Network failures reaching a server, by the code node gives them. */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
};

/** The network failure behind an error (fetch's TypeError keeps it as cause), if any. */
export function networkFailure(err: unknown): string | undefined {
  for (let c = err, depth = 0; c && depth < 6; c = (c as Error).cause, depth++) {
    const code = (c as NodeJS.ErrnoException).code;
    if (code && code in NETWORK_CODES) return NETWORK_CODES[code];
    // several addresses tried (localhost: ::1 and 127.0.0.1): node reports them together
    const inner = (c as AggregateError).errors?.[0];
    if (inner && (inner as NodeJS.ErrnoException).code! in NETWORK_CODES) return NETWORK_CODES[(inner as NodeJS.ErrnoException).code!];
  }
  return undefined;
}

/** --url as the base address of a Loopwatch server, or a clear refusal. */
export function serverUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new LoopwatchError('bad_flag', `--url: expected the address of a Loopwatch server such as http://127.0.0.1:8080; got ${JSON.stringify(value)}`);
  }
  return url;
}

/** The server at `url` could not be reached (or did not answer as a Loopwatch server does). */
export function unreachable(url: string, err: unknown): LoopwatchError {
  const why = networkFailure(err);
  if (why) return new LoopwatchError('server_unreachable', `cannot reach a Loopwatch server at ${url} (${why}); is \`loopwatch serve\` running there?`, { cause: err });
  return new LoopwatchError('server_unreachable', `no answer from a Loopwatch server at ${url}: ${describe(err)}`, { cause: err });
}
