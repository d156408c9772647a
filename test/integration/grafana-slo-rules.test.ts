import { existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { burnRateExpr, errorRatioExpr } from '../../src/grafana/slo-exprs.js';
import { tempDir } from '../helpers/stores.js';
import { instantiate } from '../helpers/grafana-promql.js';

/**
 * The SLO panels compute the error ratio themselves (so they work without the recording rules);
 * promtool's rule unit tests prove them equal to prometheus/rules/recording.yml's
 * workflow:hitl_sla_completion_error:ratio_rate<w> on the same input, and give the burn rate a
 * value worked out by hand.
 */
const RECORDING = path.resolve(import.meta.dirname, '../../prometheus/rules/recording.yml');
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const tmp = tempDir('loopwatch-slo-rules-');
afterAll(() => tmp.cleanup());

const grafana = (expr: string) => instantiate(expr, { rateInterval: '1m', workflow: 'unused' });

describe.skipIf(!existsSync(RECORDING))('the SLO dashboard against the recording rules (promtool test rules)', () => {
  it('equals workflow:hitl_sla_completion_error:ratio_rate<w> for every window, and burns at the rate worked by hand', () => {
    // per minute (a sample every 2 min, rules evaluated hourly): workflow a completes 10 + 5 items in time and 1 + 2 late (complete, secondary),
    // and breaches 100 acknowledge clocks that the SLO does not count; workflow b is all in time
    const series = (name: string, labels: string, perMinute: number) => ({ series: `${name}{${labels}}`, values: `0+${perMinute * 2}x2300` });
    const test = {
      rule_files: [RECORDING],
      evaluation_interval: '1h',
      tests: [{
        interval: '2m',
        input_series: [
          series('hitl_sla_met_total', 'workflow="a",tier="1",stage="complete"', 10),
          series('hitl_sla_breaches_total', 'workflow="a",tier="1",stage="complete"', 1),
          series('hitl_sla_met_total', 'workflow="a",tier="2",stage="secondary"', 5),
          series('hitl_sla_breaches_total', 'workflow="a",tier="2",stage="secondary"', 2),
          series('hitl_sla_breaches_total', 'workflow="a",tier="1",stage="acknowledge"', 100),
          series('hitl_sla_met_total', 'workflow="b",tier="1",stage="complete"', 7),
          series('hitl_sla_breaches_total', 'workflow="b",tier="1",stage="complete"', 0),
        ],
        promql_expr_test: [
          ...WINDOWS.map((w) => ({
            expr: `(${grafana(errorRatioExpr(w))}) - on (workflow) workflow:hitl_sla_completion_error:ratio_rate${w}`,
            eval_time: '4380m',
            exp_samples: [{ labels: '{workflow="a"}', value: 0 }, { labels: '{workflow="b"}', value: 0 }],
          })),
          {
            // (1 + 2) / (10 + 1 + 5 + 2) = 1/6 of items late, a budget of 1%: burning 16.67 times too
            // fast (to 6 decimals: promtool compares floats exactly)
            expr: `round(1000000 * (${grafana(burnRateExpr('1h'))}))`,
            eval_time: '4380m',
            exp_samples: [{ labels: '{workflow="a"}', value: 16666667 }, { labels: '{workflow="b"}', value: 0 }],
          },
        ],
      }],
    };
    const file = path.join(tmp.dir, 'slo.test.yml');
    writeFileSync(file, JSON.stringify(test, null, 2));
    const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8', timeout: 120_000 });
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);
  }, 150_000);
});
