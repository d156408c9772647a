import { defineConfig } from 'vitest/config';

// Unit tests need no database; integration tests use real ones (DuckDB files, chdb, servers on
// 127.0.0.1). Forks, not threads: native database bindings are safest one per process.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // the CLI the tests spawn (bin/loopwatch.js) runs the source beside them, never a build of
    // some earlier source; test/unit/cli-start.test.ts checks the compiled start on its own
    env: { LOOPWATCH_FROM_SOURCE: '1' },
  },
});
