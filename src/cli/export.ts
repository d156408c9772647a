import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import { explainIssue } from '../events/messages.js';
import type { ExportOptions } from '../feedback/datasets/options.js';
import { configFrom, formatCount as n, withStoreOptions } from './options.js';

export interface ExportFlags {
  format: string;
  out: string;
  flavor?: string;
  workflow?: string;
  tier?: string;
  lane?: string;
  modelVersion?: string;
  policyVersion?: string;
  from?: string;
  to?: string;
  decision?: string;
  reasonCode?: string;
  agreedOnly?: boolean;
  split?: string;
  part?: string;
  reviewerIds?: boolean;
  redact?: boolean;
  progress?: boolean;
  url?: string;
}

/** `loopwatch export dataset`: reviewed cases as a labeled dataset file and its manifest (docs/datasets.md). */
export function exportCommand(program: Command): void {
  const exp = program.command('export').description('export data out of Loopwatch');
  withStoreOptions(exp.command('dataset'))
    .description('write reviewed and audited cases as a labeled dataset, with FILE.manifest.json beside it')
    .requiredOption('--format <format>', 'chat | preference | kto | jsonl | csv | parquet | arrow')
    .requiredOption('--out <file>', 'the file to write; with --split, training formats write FILE.<part>.<ext> per part')
    .option('--flavor <flavor>', 'preference only: openai (default, DPO JSONL) or trl (prompt/chosen/rejected)')
    .option('--workflow <name>')
    .option('--tier <n>')
    .option('--lane <lane>')
    .option('--model-version <v>')
    .option('--policy-version <v>')
    .option('--from <time>', 'cases created at or after, RFC 3339')
    .option('--to <time>', 'cases created before, RFC 3339')
    .option('--decision <list>', 'comma-separated resolved decisions: approve,override,reject')
    .option('--reason-code <list>', 'comma-separated reason codes')
    .option('--agreed-only', 'only cases every human judgment agrees on')
    .option('--split <pcts>', 'deterministic split by case, e.g. 80/10/10 (train/validation/test) or 90/10')
    .option('--part <part>', 'with --split: only this part (train, validation or test)')
    .option('--reviewer-ids', 'include pseudonymized reviewer ids (needs datasets.pseudonymKey)')
    .option('--redact', 'replace e-mail addresses, phone and card numbers in free text')
    .option('--url <url>', 'ask a running Loopwatch server instead of opening the database (LOOPWATCH_TOKEN with the export scope)')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: ExportFlags, cmd: Command) => {
      await runExportCommand(flags, configFrom(cmd.opts()));
    });
}

export async function runExportCommand(flags: ExportFlags, config: ReturnType<typeof configFrom>): Promise<void> {
  const { exportOptionsSchema } = await import('../feedback/datasets/options.js');
  const { exportDataset } = await import('../feedback/datasets/export.js');
  const { loopwatchVersion } = await import('../feedback/datasets/version.js');
  const { openStore } = await import('../store/open-store.js');
  const { Q } = await import('../store/queries.js');
  const query = {
    format: flags.format,
    flavor: flags.flavor,
    workflow: flags.workflow,
    tier: flags.tier,
    lane: flags.lane,
    model_version: flags.modelVersion,
    policy_version: flags.policyVersion,
    from: flags.from,
    to: flags.to,
    decision: flags.decision,
    reason_code: flags.reasonCode,
    agreed_only: flags.agreedOnly ?? false,
    split: flags.split,
    part: flags.part,
    reviewer_ids: flags.reviewerIds ?? false,
    redact: flags.redact ?? false,
  };
  const parsed = exportOptionsSchema.safeParse(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)), { error: explainIssue });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'format').replace(/_/g, '-')}: ${i.message}`);
    throw new LoopwatchError('invalid_export', `invalid export options: ${issues.join('; ')}`);
  }
  const options = parsed.data;
  if (flags.url) return runRemoteExport(flags, options, query);
  const store = await openStore(config);
  const temps: string[] = [];
  const finals: [string, string][] = [];
  const { default: cliProgress } = await import('cli-progress');
  const bar =
    flags.progress !== false && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'export |{bar}| {value}/{total} cases | {rows} rows', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  try {
    if (bar) {
      const [{ cases }] = await store.query(Q.datasetCaseCount);
      bar.start(cases, 0, { rows: 0 });
    }
    const manifest = await exportDataset(
      store,
      { options, config: config.datasets, version: loopwatchVersion(), onProgress: (p) => bar?.update(p.casesRead, { rows: p.rows }) },
      {
        open(part) {
          const file = part === null ? flags.out : partFile(flags.out, part);
          // written under a temporary name and renamed once complete: a failed export leaves no half file
          const tmp = `${file}.tmp`;
          temps.push(tmp);
          finals.push([tmp, file]);
          return { dest: createWriteStream(tmp), name: path.basename(file) };
        },
        tmpDir: path.dirname(path.resolve(flags.out)),
      },
    );
    bar?.stop();
    for (const [tmp, file] of finals) await rename(tmp, file);
    await writeFile(`${flags.out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    const excluded = Object.entries(manifest.exclusions).map(([cause, k]) => `${cause} ${n(k)}`);
    process.stderr.write(
      `wrote ${n(manifest.counts.rows)} rows (${n(manifest.counts.cases_exported)} cases) to ${manifest.files.map((f) => f.file).join(', ')}` +
        `${excluded.length ? `; left out: ${excluded.join(', ')}` : ''}; manifest ${flags.out}.manifest.json\n`,
    );
  } finally {
    bar?.stop();
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    await store.close();
  }
}

/** The export asked of a running server (export-remote.ts): the same files and manifest. */
async function runRemoteExport(flags: ExportFlags, options: ExportOptions, query: Record<string, unknown>): Promise<void> {
  const { exportFromServer } = await import('./export-remote.js');
  const { default: cliProgress } = await import('cli-progress');
  const bar =
    flags.progress !== false && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'export |{bar}| {percentage}% | {value}/{total} bytes', hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
  // the server reads the same names; false flags are its defaults
  const asText = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== false).map(([k, v]) => [k, String(v)]));
  try {
    const manifest = await exportFromServer({
      url: flags.url!,
      options,
      query: asText,
      out: flags.out,
      fileFor: (part) => (part === null ? flags.out : partFile(flags.out, part)),
      onBytes: bar
        ? (done, total) => {
            if (!bar.isActive) bar.start(total, 0);
            bar.update(done);
          }
        : undefined,
    });
    bar?.stop();
    process.stderr.write(
      `wrote ${n(manifest.counts.rows)} rows (${n(manifest.counts.cases_exported)} cases) from ${flags.url} to ${manifest.files.map((f) => f.file).join(', ')}; manifest ${flags.out}.manifest.json\n`,
    );
  } finally {
    bar?.stop();
  }
}

/** out.jsonl with part train: out.train.jsonl. */
export function partFile(out: string, part: string): string {
  const ext = path.extname(out);
  return ext ? `${out.slice(0, -ext.length)}.${part}${ext}` : `${out}.${part}`;
}
