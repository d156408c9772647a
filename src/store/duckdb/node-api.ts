import { createRequire } from 'node:module';
import type * as NodeApi from '@duckdb/node-api';

/**
 * @duckdb/node-api as the store uses it, loaded with require(). The package is CommonJS whose
 * index re-exports some 120 files; an ESM `import` of it makes Node's CommonJS lexer read every
 * one of them to find the export names, ~200 ms of CPU more than require() at every start of a
 * command that opens a store (measured on Node 20: ~340 ms against ~145 ms). Same module, same
 * classes: the tests that import the package directly get these very objects.
 */
const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof NodeApi;

export const { BIGINT, LIST, TIMESTAMP, VARCHAR, DuckDBInstance, DuckDBTypeId, listValue, timestampValue } = api;
export type DuckDBInstance = NodeApi.DuckDBInstance;
export type { DuckDBAppender, DuckDBConnection, DuckDBResultReader, DuckDBType, DuckDBValue } from '@duckdb/node-api';
