import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reviewerNamer } from '../../../src/review/pseudonym.js';

describe('reviewer pseudonyms', () => {
  it('are the keyed hash (HMAC-SHA256) of the id: stable for a key, different for another', () => {
    const key = 'a key of sixteen+ chars';
    const name = reviewerNamer({ mode: 'pseudonymized', key });
    const expected = `r-${createHmac('sha256', key).update('rev-support-01').digest('hex').slice(0, 10)}`;
    expect(name('rev-support-01')).toBe(expected);
    expect(reviewerNamer({ mode: 'pseudonymized', key })('rev-support-01')).toBe(expected);
    expect(reviewerNamer({ mode: 'pseudonymized', key: 'another key entirely' })('rev-support-01')).not.toBe(expected);
    expect(name('rev-support-01')).not.toContain('support');
  });

  it('keep system actors and missing ids readable, and plain mode shows ids as recorded', () => {
    const name = reviewerNamer({ mode: 'pseudonymized', key: 'a key of sixteen+ chars' });
    expect(name('sys-triage')).toBe('sys-triage');
    expect(name(null)).toBe('—');
    expect(reviewerNamer({ mode: 'plain' })('rev-support-01')).toBe('rev-support-01');
  });
});
