import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The Loopwatch version the manifest records (the repository's package.json). */
export function loopwatchVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
