// `prepare` (npm install, npm ci): compiles dist/. An install without dev dependencies
// (`npm ci --omit=dev`) has no compiler: that install must not fail for it, so it says why and
// leaves bin/loopwatch.js to run the source through tsx (slower start) until `npm run build`.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('typescript');
  require.resolve('@types/node/package.json');
} catch {
  process.stderr.write('loopwatch: typescript is not installed (dev dependencies omitted): dist/ not built; the CLI runs the TypeScript source through tsx\n');
  process.exit(0);
}
execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { stdio: 'inherit' });
