// `node --import ./test/helpers/log-imports.mjs ...`: every module the process resolves is
// written to stderr as `loopwatch-import <url>`, so a test can see what a command loads.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.stderr.write('loopwatch-import ' + resolved.url + '\\n');
  return resolved;
}`));
