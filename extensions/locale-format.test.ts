import { describe, expect, test } from 'vitest';
import { localeFormat } from './src/app/cards/locale-format.js';

const domains = { en: { one: 'domain', other: 'domains' }, sv: { one: 'domän', other: 'domäner' } };

describe('plurals by the language rule', () => {
  test('English: 1 domain, 0 and 2 domains, thousands grouped', () => {
    const { count } = localeFormat('en');
    expect([0, 1, 2, 1234].map((n) => count(n, domains.en))).toEqual(['0 domains', '1 domain', '2 domains', '1,234 domains']);
  });

  test('Swedish: 1 domän, 0 and 2 domäner, thousands grouped', () => {
    const { count } = localeFormat('sv');
    expect([0, 1, 2, 1234].map((n) => count(n, domains.sv))).toEqual(['0 domäner', '1 domän', '2 domäner', '1\u00a0234 domäner']);
  });

  test('a form the language has but the words lack falls back to other', () => {
    expect(localeFormat('en').plural(2, { one: 'x', other: 'y' })).toBe('y');
  });
});

describe('dates', () => {
  test('date and time, the same on card and page', () => {
    const iso = '2026-11-24T15:12:00Z';
    const en = localeFormat('en').dateTime(iso);
    expect(en).toMatch(/24 Nov 2026, \d\d:12/);
    expect(localeFormat('sv').dateTime(iso)).toMatch(/24 nov\. 2026 \d\d:12/);
  });
});
