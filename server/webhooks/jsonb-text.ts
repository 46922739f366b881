// JSON that PostgreSQL's jsonb cannot hold, found before it costs a whole webhook batch.
//
// JSON allows two things jsonb refuses ("unsupported Unicode escape sequence: \u0000 cannot be
// converted to text"; "Unicode low surrogate must follow a high surrogate"): the character
// U+0000 and unpaired UTF-16 surrogates, both only as `\u` escapes in the body. One event with
// either would fail the batch's INSERT, so the receiver marks such an event unparsed and stores
// the batch with those characters replaced by U+FFFD (domain/storable-text.ts). The common case
// pays one regex scan.
import { storableText, UNSTORABLE_CHARACTER } from '../domain/storable-text.js';

const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** False for nearly every body: only a `\u0000` or surrogate escape can make one unstorable. */
export function mayHoldUnstorableText(json: string): boolean {
  return SUSPECT_ESCAPE.test(json);
}

/** Whether a parsed value holds, in a string or a key, a character jsonb refuses. */
export function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE_CHARACTER.test(value);
  if (Array.isArray(value)) return value.some(holdsUnstorableText);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => UNSTORABLE_CHARACTER.test(key) || holdsUnstorableText(item));
  return false;
}

/** The value with every refused character replaced by U+FFFD, ready for JSON.stringify. */
export function storableCopy(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableCopy(item)]));
  return value;
}
