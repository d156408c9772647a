#!/usr/bin/env node
// Runs the compiled CLI, dist/ (`npm run build`; `npm install` and `npm ci` build it through
// `prepare`): TypeScript compiled at every start cost 1.9 s of `loopwatch --help`.
// The TypeScript source runs through tsx instead when LOOPWATCH_FROM_SOURCE=1 (the tests set it,
// so they test the source they sit beside), when nobody has built this checkout yet, and when
// a source file is newer than the build (an edit or a pull since): a stale build would run code
// that is no longer there.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/cli/main.js', root);

/** Why the build cannot be run, or null when it can. */
function notRunnable() {
  if (!existsSync(compiled)) return 'dist/ is not built';
  const built = statSync(compiled).mtimeMs;
  // paths as strings: a URL per file cost half of this walk over ~250 files, at every start
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((d) =>
      d.isDirectory() ? newer(`${dir}${d.name}/`) : d.name.endsWith('.ts') && statSync(`${dir}${d.name}`).mtimeMs > built,
    );
  const src = fileURLToPath(new URL('src/', root));
  return existsSync(src) && newer(src) ? 'src/ changed since dist/ was built' : null;
}

const reason = process.env.LOOPWATCH_FROM_SOURCE === '1' ? 'source' : notRunnable();
if (reason === null) {
  await import(compiled.href);
} else {
  if (reason !== 'source') {
    process.stderr.write(`loopwatch: ${reason}; running the TypeScript source through tsx (slow start); \`npm run build\` compiles it\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
