import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoopwatchError } from '../errors.js';
import type { Scope } from './scopes.js';

/** One token as stored: never the token itself, only its SHA-256. */
export interface StoredToken {
  name: string;
  scopes: Scope[];
  /** sha256:<hex> of the token's UTF-8 bytes. */
  hash: string;
  created: string;
  revoked?: string;
}

interface TokenFileShape {
  version: 1;
  tokens: StoredToken[];
}

/** What a presented token turned out to be. */
export type TokenCheck = { ok: true; name: string; scopes: Scope[] } | { ok: false };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// 32 random bytes: guessing is hopeless, so a fast unsalted hash is enough (no password stretching needed)
const TOKEN_BYTES = 32;
const PREFIX = 'lwt_';

export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** The tokens file next to the DuckDB file (loopwatch.duckdb → loopwatch.tokens.json) unless configured. */
export function tokensPath(config: { tokensFile?: string; db: string }): string {
  if (config.tokensFile) return config.tokensFile;
  const dir = path.dirname(config.db);
  return path.join(dir, `${path.basename(config.db, path.extname(config.db))}.tokens.json`);
}

/**
 * The token file. The server checks the file's identity (inode, size, mtime) on every request
 * and re-reads it when it changed, so a revocation takes effect on the next request without a
 * restart; writes replace the file by rename, so a reader never sees half of one.
 */
export class TokenFile {
  private cache?: { key: string; tokens: StoredToken[] };

  constructor(readonly file: string) {}

  /** Every token ever created, revoked ones included; none when the file does not exist. */
  all(): StoredToken[] {
    let key: string;
    try {
      const st = statSync(this.file);
      key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw unreadable(this.file, err);
    }
    if (this.cache?.key === key) return this.cache.tokens;
    const tokens = this.read();
    this.cache = { key, tokens };
    return tokens;
  }

  active(): StoredToken[] {
    return this.all().filter((t) => !t.revoked);
  }

  /** Compares against every active token's hash in constant time, without stopping at a match. */
  check(token: string): TokenCheck {
    const presented = Buffer.from(hashToken(token));
    let found: StoredToken | undefined;
    for (const t of this.active()) {
      const stored = Buffer.from(t.hash);
      if (stored.length === presented.length && timingSafeEqual(stored, presented)) found = t;
    }
    return found ? { ok: true, name: found.name, scopes: found.scopes } : { ok: false };
  }

  /** A new token: returned once, stored only as its hash. */
  create(name: string, scopes: Scope[], now = new Date()): string {
    if (!NAME.test(name)) throw new LoopwatchError('token_invalid', `token name "${name}": use 1-64 letters, digits, '.', '_' or '-'`);
    const tokens = this.read();
    if (tokens.some((t) => t.name === name && !t.revoked)) {
      throw new LoopwatchError('token_exists', `a token named "${name}" exists; revoke it first or pick another name`);
    }
    const token = PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
    tokens.push({ name, scopes, hash: hashToken(token), created: now.toISOString() });
    this.write(tokens);
    return token;
  }

  revoke(name: string, now = new Date()): void {
    const tokens = this.read();
    const live = tokens.filter((t) => t.name === name && !t.revoked);
    if (live.length === 0) throw new LoopwatchError('token_not_found', `no active token named "${name}" in ${this.file}`);
    for (const t of live) t.revoked = now.toISOString();
    this.write(tokens);
  }

  private read(): StoredToken[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw unreadable(this.file, err);
    }
    try {
      const value = JSON.parse(text) as TokenFileShape;
      if (value?.version !== 1 || !Array.isArray(value.tokens)) throw new Error('expected {"version": 1, "tokens": [...]}');
      return value.tokens;
    } catch (err) {
      throw unreadable(this.file, err);
    }
  }

  private write(tokens: StoredToken[]): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    // 0600: hashes cannot be turned back into tokens, but names and scopes are nobody else's business
    writeFileSync(tmp, `${JSON.stringify({ version: 1, tokens } satisfies TokenFileShape, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    this.cache = undefined;
  }
}

function unreadable(file: string, err: unknown): LoopwatchError {
  return new LoopwatchError('auth_unavailable', `the tokens file ${file} cannot be read (${(err as Error).message})`, { cause: err });
}
