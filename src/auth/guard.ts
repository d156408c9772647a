import { isIPv4 } from 'node:net';
import { LoopwatchError } from '../errors.js';
import { TokenFile, tokensPath } from './tokens.js';

export interface AuthSettings {
  auth: 'auto' | 'required';
  tokensFile?: string;
  db: string;
  host: string;
  allowUnauthenticated: boolean;
  openMetrics: boolean;
}

/** What the HTTP layer needs: the token file and whether a token is asked for even with none stored. */
export interface Auth {
  tokens: TokenFile;
  required: boolean;
  openMetrics: boolean;
}

/** A name only this machine can reach. A host name other than localhost may resolve to anything. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIPv4(v4) && v4.startsWith('127.');
}

/**
 * Checked before the database is opened or a port bound: a server that would answer anyone who
 * reaches it starts only on loopback, or when told so in as many words.
 */
export function openAuth(s: AuthSettings): Auth {
  const tokens = new TokenFile(tokensPath(s));
  const active = tokens.active().length;
  if (s.auth === 'required' && active === 0) {
    throw new LoopwatchError(
      'auth_no_tokens',
      `auth is required but ${tokens.file} holds no active token; create one with \`loopwatch token create --name NAME --scopes ingest,read\``,
    );
  }
  if (active === 0 && !isLoopback(s.host) && !s.allowUnauthenticated) {
    throw new LoopwatchError(
      'auth_no_tokens',
      `refusing to listen on ${s.host} without tokens: anyone who reaches it could post and read events; ` +
        'create one with `loopwatch token create`, or pass --allow-unauthenticated to serve the network without access control',
    );
  }
  return { tokens, required: s.auth === 'required', openMetrics: s.openMetrics };
}
