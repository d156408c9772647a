import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetsConfigSchema, type DatasetsConfig } from '../../src/config/datasets.js';
import type { EventRow } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { exportDataset } from '../../src/feedback/datasets/export.js';
import type { DatasetManifest } from '../../src/feedback/datasets/manifest.js';
import { exportOptionsSchema, type ExportOptionsInput } from '../../src/feedback/datasets/options.js';
import type { Store } from '../../src/store/store.js';

/** Hand-written events as stored rows (validated as ingest would). */
export function rowsOf(events: Record<string, unknown>[]): EventRow[] {
  const validate = createValidator();
  const base = Date.UTC(2027, 0, 1);
  return events.map((e, i) => {
    const r = validate(e, i, base + i);
    if (!r.ok) throw new Error(`event ${i} is invalid: ${r.rejected.reason}`);
    return r.row;
  });
}

export function datasetsConfig(input: Record<string, unknown> = {}): DatasetsConfig {
  return datasetsConfigSchema.parse(input);
}

export interface ExportedFiles {
  manifest: DatasetManifest;
  /** File paths by part ('all' for a single file). */
  files: Record<string, string>;
}

/** Runs the export into files under `dir` named `<name>[.<part>]`. */
export async function exportToFiles(store: Store, dir: string, name: string, options: ExportOptionsInput, config: DatasetsConfig = datasetsConfig()): Promise<ExportedFiles> {
  const files: Record<string, string> = {};
  const manifest = await exportDataset(
    store,
    { options: exportOptionsSchema.parse(options), config, version: 'test', now: () => new Date(0) },
    {
      open(part) {
        const file = path.join(dir, part ? `${name}.${part}` : name);
        files[part ?? 'all'] = file;
        return { dest: createWriteStream(file), name: path.basename(file) };
      },
      tmpDir: dir,
    },
  );
  return { manifest, files };
}

export function readJsonLines(file: string): Record<string, any>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
