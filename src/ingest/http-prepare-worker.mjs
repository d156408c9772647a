// Starts http-prepare-worker.ts when Loopwatch runs from its TypeScript source (tsx, vitest): a
// worker thread does not inherit the loader that compiles it. The build runs
// dist/ingest/http-prepare-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./http-prepare-worker.ts');
