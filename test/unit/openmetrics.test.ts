import { describe, expect, it } from 'vitest';
import { prefersOpenMetrics, toOpenMetrics } from '../../src/observability/openmetrics.js';

describe('Accept negotiation for /metrics', () => {
  it.each([
    // Prometheus 2.x's default scrape header
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', true],
    ['application/openmetrics-text; version=1.0.0', true],
    ['text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5', false],
    ['text/plain', false],
    ['*/*', false],
    ['application/openmetrics-text;q=0', false],
    ['', false],
    [undefined, false],
  ])('%s → OpenMetrics %s', (accept, expected) => {
    expect(prefersOpenMetrics(accept)).toBe(expected);
  });
});

describe('toOpenMetrics', () => {
  it('names counter families without _total, escapes quotes in HELP, drops blank lines, ends with # EOF', () => {
    const classic = [
      '# HELP hitl_sla_breaches_total SLA clocks past "target".',
      '# TYPE hitl_sla_breaches_total counter',
      'hitl_sla_breaches_total{workflow="w",tier="3",stage="complete"} 4',
      '',
      '# HELP hitl_queue_depth Open items.',
      '# TYPE hitl_queue_depth gauge',
      'hitl_queue_depth{workflow="w",tier="3",level="1"} 2',
      '',
      '# HELP lib_requests Requests.',
      '# TYPE lib_requests counter',
      'lib_requests 7',
      '',
      '# HELP lib_thing Untyped.',
      '# TYPE lib_thing untyped',
      'lib_thing 1',
      '',
    ].join('\n');
    expect(toOpenMetrics(classic)).toBe(
      [
        '# HELP hitl_sla_breaches SLA clocks past \\"target\\".',
        '# TYPE hitl_sla_breaches counter',
        'hitl_sla_breaches_total{workflow="w",tier="3",stage="complete"} 4',
        '# HELP hitl_queue_depth Open items.',
        '# TYPE hitl_queue_depth gauge',
        'hitl_queue_depth{workflow="w",tier="3",level="1"} 2',
        '# HELP lib_requests Requests.',
        '# TYPE lib_requests counter',
        'lib_requests_total 7',
        '# HELP lib_thing Untyped.',
        '# TYPE lib_thing unknown',
        'lib_thing 1',
        '# EOF',
        '',
      ].join('\n'),
    );
  });
});
