/**
 * Errors that reach a user carry a stable `code` (for scripts and HTTP answers) and keep
 * the lower-level error as `cause` instead of pasting its text.
 */
export class LoopwatchError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoopwatchError';
  }
}

/** A bad configuration value: thrown at start, before anything listens or writes. */
export class ConfigError extends LoopwatchError {
  constructor(readonly problems: string[]) {
    super('config_invalid', `invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The database file is held by another Loopwatch process (DuckDB allows one writer per file). */
export class StoreLockedError extends LoopwatchError {
  constructor(path: string, cause: unknown) {
    super(
      'store_locked',
      `the DuckDB file ${path} is in use by another process (DuckDB allows one read-write process per file); ` +
        'stop the other loopwatch process or point this one at another file with --db. ' +
        'If a loopwatch server holds it, `loopwatch report --url http://HOST:PORT` asks that server for the report instead',
      { cause },
    );
    this.name = 'StoreLockedError';
  }
}

/**
 * The request body could not be read as events at all (as opposed to single bad events). Its
 * HTTP status comes from the code, in src/http/errors.ts.
 */
export class BodyError extends LoopwatchError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'BodyError';
  }
}
