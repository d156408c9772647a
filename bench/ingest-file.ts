// One file ingest in its own process, so that peak memory (maxRSS) is this ingest's alone.
// Usage: tsx bench/ingest-file.ts FILE DB  → prints one JSON line with the figures.
import { DEFAULT_BULK_ROWS_PER_WRITE, DEFAULT_INGEST_WORKERS } from '../src/config/defaults.js';
import { createValidator } from '../src/events/validate.js';
import { EventWriter } from '../src/ingest/event-writer.js';
import { ingestFiles } from '../src/ingest/ingest-files.js';
import { DuckDBStore } from '../src/store/duckdb/duckdb-store.js';

const [file, db] = process.argv.slice(2);
const store = await DuckDBStore.open({ path: db, memoryLimit: '512MB' });
await store.migrate();
const writer = new EventWriter(store, { maxRowsPerWrite: 50_000 });
const started = performance.now();
const cpuAtStart = process.cpuUsage();
// as `loopwatch ingest` does: the bulk writer, worker threads
const bulk = store.openBulkWriter({ rowsPerWrite: DEFAULT_BULK_ROWS_PER_WRITE });
const workers = { count: DEFAULT_INGEST_WORKERS, validator: {} };
const [summary] = await ingestFiles([file], { validate: createValidator(), writer }, { batchSize: 20_000, bulk, workers });
await writer.close();
// the closing checkpoint belongs to the ingest: the yardstick's time includes its own
await store.close();
const seconds = (performance.now() - started) / 1000;
// CPU of every thread (DuckDB's included): on a shared machine a steadier measure than the clock
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(
  `${JSON.stringify({
    file,
    format: summary.format,
    events: summary.accepted + summary.duplicates + summary.rejected,
    accepted: summary.accepted,
    rejected: summary.rejected,
    seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    events_per_second: Math.round((summary.accepted + summary.duplicates + summary.rejected) / seconds),
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
