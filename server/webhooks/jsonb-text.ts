// JSON that PostgreSQL's jsonb cannot hold, found before it costs a whole webhook batch.
//
// JSON allows two things jsonb refuses ("unsupported Unicode escape sequence: \u0000 cannot be
// converted to text"; "Unicode low surrogate must follow a high surrogate"): the character
// U+0000 and unpaired UTF-16 surrogates, both only as `\u` escapes in the body. One event with
// either would fail the batch's INSERT, so the receiver marks such an event unparsed and stores
// the batch with those characters replaced by U+FFFD. The common case pays one regex scan.

const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL (which jsonb refuses) is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE.source, 'g');

/** False for nearly every body: only a `\u0000` or surrogate escape can make one unstorable. */
export function mayHoldUnstorableText(json: string): boolean {
  return SUSPECT_ESCAPE.test(json);
}

/** Whether a parsed value holds, in a string or a key, a character jsonb refuses. */
export function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(holdsUnstorableText);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => UNSTORABLE.test(key) || holdsUnstorableText(item));
  return false;
}

/** The value with every refused character replaced by U+FFFD, ready for JSON.stringify. */
export function storableCopy(value: unknown): unknown {
  if (typeof value === 'string') return storableString(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableString(key), storableCopy(item)]));
  return value;
}

function storableString(text: string): string {
  return text.replace(EVERY_UNSTORABLE, '\ufffd');
}
