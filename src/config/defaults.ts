/**
 * Every default and limit Loopwatch uses, each with the reason for its value. The config
 * schema, the CLI flags, the stores and the statistics read them from here; change one here
 * and it changes everywhere it applies.
 */

// ---- the server and its settings -------------------------------------------------------

export const DEFAULT_DB_PATH = './data/loopwatch.duckdb';
/** DuckDB's own default is 80 % of RAM: too much for a process that shares the machine. */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '1GB';
export const DEFAULT_CLICKHOUSE_DATABASE = 'loopwatch';
/** 100 years: a retention longer than that is a typo, not a policy. */
export const MAX_CLICKHOUSE_TTL_DAYS = 36_500;
/** Loopback: a fresh install is not reachable from the network until asked to be. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
/** Largest request body after gzip decompression: 64 MB holds ~100,000 typical events, and a zip bomb stops there. */
export const DEFAULT_BODY_LIMIT = '64mb';
/**
 * Most rows group commit merges into one database write: large enough that a busy server
 * writes in few transactions, small enough that one write's memory and latency stay bounded.
 */
export const DEFAULT_MAX_ROWS_PER_WRITE = 50_000;
export const MAX_MAX_ROWS_PER_WRITE = 1_000_000;
/**
 * Request bodies the server holds at once (read, being validated or waiting for the writer),
 * after decompression. Two bodies at DEFAULT_BODY_LIMIT: a parsed body costs a few times its
 * size in memory, so the worst case stays near half a gigabyte; a request over it gets 429.
 */
export const DEFAULT_INGEST_QUEUE_LIMIT = '128mb';
/**
 * Retry-After of a 429: a group-commit round at the default sizes takes well under a second,
 * so a second later the queue has usually moved; senders add their own jitter on top.
 */
export const INGEST_RETRY_AFTER_SECONDS = 1;
/** Long enough for an in-flight batch of DEFAULT_MAX_ROWS_PER_WRITE to be stored, short enough for a rolling restart. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;
export const MAX_SHUTDOWN_GRACE_SECONDS = 600;
/** Past the grace, what shutdown still gets (closing the database) before the process kills itself. */
export const SHUTDOWN_BACKSTOP_MS = 5_000;
/**
 * `auto`: open while no token exists (a fresh install on loopback works as before), token
 * required on every route but the probes once one does. `required` also refuses to start tokenless.
 */
export const DEFAULT_AUTH_MODE = 'auto';
/** The Prometheus scrape holds counters, not events; scrapers rarely carry tokens. */
export const DEFAULT_OPEN_METRICS = true;

// ---- the metric schedule ---------------------------------------------------------------

/** Dashboards poll about once a minute; a fresher snapshot would not be seen. */
export const DEFAULT_SCHEDULE_INTERVAL_SECONDS = 60;
/** A run that takes longer than two intervals is stuck, not slow: it is abandoned and logged. */
export const DEFAULT_SCHEDULE_TIMEOUT_SECONDS = 120;
export const MAX_SCHEDULE_INTERVAL_SECONDS = 86_400;
export const MAX_SCHEDULE_TIMEOUT_SECONDS = 3_600;

// ---- the CLI ---------------------------------------------------------------------------

/** `ingest --batch-size`: events per validated batch; one batch is one write unless it is over maxRowsPerWrite. */
export const DEFAULT_INGEST_BATCH_SIZE = 20_000;
/**
 * `ingest --rows-per-write` (DuckDB): events per transaction of a file ingest. Above one row
 * group (122,880 rows) DuckDB writes whole row groups to the database file instead of the WAL,
 * and a whole number of them leaves no partial one for the next checkpoint to rewrite; the
 * rows wait in a staging file on disk, so the size costs no heap. One row group rather than
 * two: measured at 500k events, 525 MB peak instead of 655 MB, and no slower.
 */
export const DEFAULT_BULK_ROWS_PER_WRITE = 122_880;
/**
 * `ingest --workers`: threads that validate and serialize events while the file is read and the
 * database writes; `serve` starts as many for POST /v1/events bodies (at most one per core).
 */
export const DEFAULT_INGEST_WORKERS = 2;
/** `serve --ingest-workers`: more threads than this only contend for the cores the database writes with. */
export const MAX_INGEST_WORKERS = 16;
/** Rejected events an ingest summary keeps in memory; the rest go to --rejects. */
export const DEFAULT_INGEST_KEEP_ERRORS = 100;
/** `simulate --url --batch-size`: a POST of 5,000 events is ~5 MB, well under DEFAULT_BODY_LIMIT. */
export const DEFAULT_SIMULATE_BATCH_SIZE = 5_000;
export const DEFAULT_SIMULATE_CASES = 10_000;
export const DEFAULT_SIMULATE_SEED = 42;
export const DEFAULT_SIMULATE_CASES_PER_HOUR = 600;
/** `serve --demo`: a week of history at 20,000 cases fills every chart within a minute. */
export const DEFAULT_DEMO_CASES = 20_000;
/**
 * How far ahead of the clock a `serve --demo` server accepts event times: the demo's follow-ups
 * (audits, reopens) land after now, and each further run simulates the weeks after the stored
 * history. A year covers many runs; a real deployment keeps limits.tsMaxAheadMs (a day).
 */
export const DEMO_TS_MAX_AHEAD_MS = 366 * 86_400_000;
/**
 * `copy --batch-size`: source rows per chunk (one Parquet file, one ClickHouse insert, one
 * checkpoint): ClickHouse prefers few large inserts, and a resumed copy repeats at most one
 * chunk, so a chunk is as large as stays comfortable in memory.
 */
export const DEFAULT_COPY_CHUNK = 250_000;

// ---- file ingest -----------------------------------------------------------------------

/**
 * Longest single record (NDJSON line, JSON element) accepted. A longer one is
 * rejected without being held in memory, so one runaway line cannot exhaust the heap.
 */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

// ---- the stores ------------------------------------------------------------------------

/** DuckDB reader connections for metric queries: two lets a slow report and a scrape run side by side on 2 cores. */
export const DEFAULT_DUCKDB_READERS = 2;
/** DuckDB's WAL size before a checkpoint: larger than its 16MB default, so a burst of ingest is not slowed by checkpoints. */
export const DEFAULT_DUCKDB_WAL_AUTOCHECKPOINT = '256MB';
/** ClickHouse insert attempts on transient failures; every attempt carries the same deduplication token. */
export const DEFAULT_CLICKHOUSE_INSERT_ATTEMPTS = 4;
/** ClickHouse request timeout: a metric query over a year of events may take minutes, not hours. */
export const DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS = 300_000;
/** Below the server's keep_alive_timeout (3 s by default), so a request never goes out on a socket being closed. */
export const CLICKHOUSE_IDLE_SOCKET_TTL_MS = 2_500;
/** Backoff between insert attempts: 100 ms doubling, at most 2 s (times 0.5–1.5 jitter). */
export const CLICKHOUSE_RETRY_BASE_MS = 100;
export const CLICKHOUSE_RETRY_MAX_MS = 2_000;
/**
 * How far back before the last refresh's newest received_at the next incremental refresh
 * looks: inserts that were in flight during a refresh land with earlier received_at values.
 */
export const CLICKHOUSE_RECEIVED_MARGIN_MS = 5 * 60_000;

// ---- senders (simulate --url, the demo) ------------------------------------------------

/** POST attempts before a sender gives up; with the backoff below that is ~1.5 s of a server restarting. */
export const DEFAULT_SEND_ATTEMPTS = 5;
/** Backoff between attempts: 100 ms doubling, at most 5 s, times 1-1.5 jitter, never shorter than Retry-After. */
export const SEND_RETRY_BASE_MS = 100;
export const SEND_RETRY_MAX_MS = 5_000;
/** A Retry-After longer than this is taken as this: a sender keeps moving rather than sleeping for hours. */
export const SEND_RETRY_AFTER_MAX_MS = 60_000;
/**
 * How long a sender keeps resending to a server that answers 429 (busy, alive) before giving up:
 * 429s do not use up the attempts, which count failures; a bulk load outlasts a burst of load.
 */
export const DEFAULT_SEND_OVERLOAD_PATIENCE_MS = 5 * 60_000;

// ---- drift statistics ------------------------------------------------------------------

/**
 * Stand-in share for a bin one window leaves empty, so ln(0) never occurs. 1e-4 is the
 * value common practice uses (Evidently's get_binned_data, for one); it caps an empty
 * bin's contribution at about (share) * ln(share / 1e-4).
 */
export const PSI_EPSILON = 1e-4;
/** Deciles of the reference window, the binning PSI is usually quoted with. */
export const PSI_DEFAULT_BINS = 10;
/**
 * k = 0.5 tunes the chart to a one-sigma shift. Montgomery recommends h = 4 or 5 with it;
 * their in-control average run lengths are about 168 and 465 buckets. We run one chart per
 * workflow and model version, so we take the quieter one.
 */
export const CUSUM_DEFAULT_K = 0.5;
export const CUSUM_DEFAULT_H = 5;
/** The conventional levels: 5 % tests; PSI 0.25 "significant shift"; JS and normalised Wasserstein 0.1 (docs/stats-drift.md). */
export const DEFAULT_DRIFT_THRESHOLDS = {
  alpha: 0.05,
  psi: 0.25,
  jensenShannon: 0.1,
  wassersteinNormed: 0.1,
} as const;

// ---- label cardinality ------------------------------------------------------------------
/**
 * At most this many workflows and reviewers get a group of their own (docs/metrics.md#label-cardinality);
 * the rest share the overflow group '(other)', so a store with 10,000 of them stays readable and cheap.
 */
export const DEFAULT_CAP_WORKFLOWS = 200;
export const DEFAULT_CAP_REVIEWERS = 1000;
/** Drift tests at most this many feature keys per group, the most frequent ones. */
export const DEFAULT_CAP_FEATURE_KEYS = 100;
/** The group capped values fall into: a string no real value is expected to take. */
export const OVERFLOW_VALUE = '(other)';

// sampling controller (docs/sampling.md): ANSI/ASQ Z1.4 / ISO 2859-1 switching rules
/** QA sampling rate of auto-approved work in the normal state (playbook template A: 5%). */
export const DEFAULT_SAMPLING_RATE = 0.05;
/** Tightened rates, one rung per step up; the last is the ceiling. */
export const DEFAULT_SAMPLING_TIGHTENED_RATES = [0.2, 0.5];
export const DEFAULT_SAMPLING_REDUCED_RATE = 0.02;
/** A window is the controller's lot: one day, as the drift job's current window. */
export const DEFAULT_SAMPLING_WINDOW_HOURS = 24;
/** A window is judged this long after it ends, so late events are in. */
export const DEFAULT_SAMPLING_GRACE_MINUTES = 10;
/** Z1.4 normal to tightened: 2 of 5 consecutive lots rejected. */
export const DEFAULT_SAMPLING_TIGHTEN_K = 2;
export const DEFAULT_SAMPLING_TIGHTEN_N = 5;
/** Z1.4 tightened to normal: 5 consecutive lots accepted (here: one rung down per run). */
export const DEFAULT_SAMPLING_RELAX_WINDOWS = 5;
/** Z1.4 normal to reduced: 10 consecutive lots accepted. */
export const DEFAULT_SAMPLING_REDUCE_WINDOWS = 10;
/** A window fails on audit defects above this share of its audits... */
export const DEFAULT_SAMPLING_DEFECT_RATE = 0.15;
/** ...once it has at least this many audits (fewer judge nothing). */
export const DEFAULT_SAMPLING_MIN_AUDITS = 30;
/**
 * Drift checks (dotted paths of the drift family's drifted_checks, or their prefixes) that fail a
 * window. Effect sizes, not p-values: with thousands of cases a window, a test flags shifts too
 * small to matter (the simulator's stationary windows flag labels.chi_square now and then; PSI
 * stays under 0.05 there and goes past 1 under drift).
 */
export const DEFAULT_SAMPLING_DRIFT_CHECKS = ['confidence.psi', 'labels.psi', 'lanes.psi'];
export const DEFAULT_SAMPLING_INTERVAL_SECONDS = 300;
export const DEFAULT_SAMPLING_TIMEOUT_SECONDS = 300;
// ---- dataset export (docs/datasets.md) -----------------------------------------------------
/** Cases read from the store per page: bounds what an export holds in memory at once. */
export const DEFAULT_DATASET_PAGE_SIZE = 20_000;
export const MAX_DATASET_PAGE_SIZE = 200_000;
/**
 * The key of the split hash when configuration names none. The split needs stability, not
 * secrecy: a fixed default keeps every export of a deployment in the same split.
 */
export const DEFAULT_DATASET_SPLIT_KEY = 'loopwatch-split-v1';
/** The shortest pseudonymization key taken: 16 bytes of entropy is the least a keyed hash deserves. */
export const MIN_PSEUDONYM_KEY_LENGTH = 16;
