import { defineConfig } from 'vitest/config';

// Unit tests need no database; integration tests use real ones (DuckDB files, chdb, servers on
// 127.0.0.1). Forks, not threads: native database bindings are safest one per process.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
