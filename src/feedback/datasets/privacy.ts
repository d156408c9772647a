import { createHmac } from 'node:crypto';
import { LoopwatchError } from '../../errors.js';

/**
 * A reviewer id as exported: HMAC-SHA256 under the configured key, 16 hex digits. The same id
 * gives the same pseudonym in every export under one key (per-reviewer analysis still works);
 * without the key it cannot be recomputed from a list of likely ids, as a plain hash could.
 */
export function pseudonymizer(key: string | undefined): (id: string) => string {
  if (!key) {
    throw new LoopwatchError(
      'pseudonym_key_missing',
      'reviewer ids are exported only pseudonymized, and no key is configured: set datasets.pseudonymKey in the config file or LOOPWATCH_DATASET_PSEUDONYM_KEY, or export without reviewer ids',
    );
  }
  const cache = new Map<string, string>();
  return (id) => {
    let p = cache.get(id);
    if (p === undefined) {
      p = `rv_${createHmac('sha256', key).update(id, 'utf8').digest('hex').slice(0, 16)}`;
      // reviewers are few; the bound only guards against a store where every id is new
      if (cache.size < 100_000) cache.set(id, p);
    }
    return p;
  };
}

export const REDACTION_KINDS = ['email', 'phone', 'card'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];
export type RedactionCounts = Record<RedactionKind, number>;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13 to 19 digits, optionally grouped by spaces or dashes; kept only if the Luhn check passes
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// an optional +country code, an optional (area) code, then groups of digits: 9 to 15 digits in all
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){2,4}(?![\w])/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Replaces e-mail addresses, card numbers (Luhn-valid) and phone numbers in free text with
 * [EMAIL], [CARD], [PHONE], counting each into `counts`. Cards go before phones: a card number
 * also looks like a long phone number.
 */
export function redactText(text: string, counts: RedactionCounts): string {
  let out = text.replace(EMAIL, () => {
    counts.email++;
    return '[EMAIL]';
  });
  out = out.replace(CARD, (m) => {
    if (!luhn(m.replace(/\D/g, ''))) return m;
    counts.card++;
    return '[CARD]';
  });
  out = out.replace(PHONE, (m) => {
    const n = m.replace(/\D/g, '').length;
    if (n < 9 || n > 15) return m;
    counts.phone++;
    return '[PHONE]';
  });
  return out;
}

export function noRedactions(): RedactionCounts {
  return { email: 0, phone: 0, card: 0 };
}
