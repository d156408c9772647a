import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/auth/guard.js';
import { grants, routeNeed } from '../../src/auth/scopes.js';

describe('which scope a route needs', () => {
  it('maps each route, however it is spelled, and fails closed on routes it does not know', () => {
    expect(routeNeed('GET', '/healthz', true)).toBe('open');
    expect(routeNeed('GET', '/readyz', false)).toBe('open');
    expect(routeNeed('GET', '/metrics', true)).toBe('open');
    expect(routeNeed('GET', '/metrics', false)).toBe('read');
    for (const p of ['/v1/events', '/V1/Events', '/v1/events/', '/v1/%65vents']) expect(routeNeed('POST', p, true)).toBe('ingest');
    for (const p of ['/v1/summary', '/v1/metrics', '/v1/metrics/sla', '/v1/cases/c-1', '/V1/SUMMARY/']) expect(routeNeed('GET', p, true)).toBe('read');
    // the governance review and the what-if read events and metrics: the read scope (issue 17)
    for (const p of ['/v1/reviews', '/v1/whatif/threshold', '/V1/REVIEWS/']) expect(routeNeed('GET', p, true)).toBe('read');
    for (const p of ['/', '/v2/anything', '/v1/%zz', '/healthz/../v1/events']) expect(routeNeed('POST', p, true)).toBe('any');
  });

  it('lets admin do everything and every other scope only its own', () => {
    expect(grants(['admin'], 'ingest')).toBe(true);
    expect(grants(['admin'], 'export')).toBe(true);
    expect(grants(['read'], 'ingest')).toBe(false);
    expect(grants(['ingest', 'read'], 'read')).toBe(true);
    expect(grants(['export'], 'read')).toBe(false);
  });
});

describe('what counts as loopback', () => {
  it('accepts 127.0.0.0/8, ::1 and localhost, and nothing that another machine could reach', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.org', '127.example.org', '::ffff:10.0.0.1', '']) expect(isLoopback(h), h).toBe(false);
  });
});
