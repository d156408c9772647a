import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDashboards } from './dashboards.js';

/**
 * `npx tsx src/grafana/generate.ts`: writes grafana/dashboards/*.json from the builders.
 * test/unit/grafana-dashboards.test.ts fails when the committed files differ from this output.
 */
export const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../../grafana/dashboards');

function main(): void {
  mkdirSync(DASHBOARD_DIR, { recursive: true });
  for (const [file, text] of renderDashboards()) {
    writeFileSync(path.join(DASHBOARD_DIR, file), text);
    process.stdout.write(`wrote grafana/dashboards/${file}\n`);
  }
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('generate.ts')) main();
