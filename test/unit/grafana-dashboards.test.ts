import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UIDS } from '../../src/grafana/base.js';
import { renderDashboards } from '../../src/grafana/dashboards.js';

const DIR = path.resolve(import.meta.dirname, '../../grafana/dashboards');
const rendered = renderDashboards();

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  fieldConfig?: { defaults: { unit?: string } };
  targets?: { refId?: string; datasource?: { uid: string } }[];
}

describe('grafana/dashboards/*.json', () => {
  it('are exactly what src/grafana generates (run `npx tsx src/grafana/generate.ts` after a change)', () => {
    const committed = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual([...rendered.keys()].sort());
    for (const [file, text] of rendered) {
      expect(readFileSync(path.join(DIR, file), 'utf8'), `${file} is stale`).toBe(text);
    }
  });

  for (const [file, text] of rendered) {
    describe(file, () => {
      const dashboard = JSON.parse(text);
      const panels: Panel[] = dashboard.panels.filter((p: Panel) => p.type !== 'row');

      it('has a published uid and distinct panel ids', () => {
        expect(Object.values(UIDS)).toContain(dashboard.uid);
        const ids = dashboard.panels.map((p: Panel) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.every((id: number) => Number.isInteger(id) && id > 0)).toBe(true);
      });

      it('gives every panel a description, a unit and queries on the datasource variable', () => {
        for (const p of panels) {
          expect(p.description, p.title).toMatch(/\w/);
          expect(p.fieldConfig?.defaults.unit, p.title).toMatch(/\w/);
          expect(p.datasource?.uid, p.title).toBe('${datasource}');
          expect(p.targets?.length, p.title).toBeGreaterThan(0);
          for (const t of p.targets!) {
            expect(t.refId, p.title).toMatch(/^[A-Z]$/);
            expect(t.datasource?.uid, p.title).toBe('${datasource}');
          }
        }
      });

      it('has every panel described in docs/grafana.md', () => {
        const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/grafana.md'), 'utf8');
        expect(doc).toContain(`\`${dashboard.uid}\``);
        for (const p of panels) expect(doc, p.title).toContain(p.title.replace(/, tier \d$/, ''));
      });

      it('uses the workflow variable, and a datasource variable for its type', () => {
        const names = dashboard.templating.list.map((v: { name: string }) => v.name);
        expect(names).toEqual(['datasource', 'workflow']);
      });
    });
  }
});
