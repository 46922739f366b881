// Text as PostgreSQL can store it: it refuses the character U+0000 and half of a UTF-16
// surrogate pair, in text columns and in json/jsonb ("unsupported Unicode escape sequence"),
// and one such character fails the whole statement it is in. JSON can carry both (as `\u`
// escapes), so anything read from HubSpot's API may too (whether HubSpot ever stores them is not
// known: this is a defence); cutting text to a length can make the second.
// They are replaced by U+FFFD, the character Unicode reserves for what could not be read.
// Where text enters the app: contacts read from HubSpot (hubspot-api.ts, contactRecord), webhook
// events (webhooks/webhook-event.ts, judgeBatch), requests (http/refuse-unstorable-text.ts, a 400).

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL (which PostgreSQL refuses) is the point
const UNSTORABLE_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE_CHARACTER = new RegExp(UNSTORABLE_CHARACTER.source, 'g');

/** The text with every character PostgreSQL refuses replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(EVERY_UNSTORABLE_CHARACTER, '\ufffd');
}

/** At most `length` UTF-16 units of the text, never ending in half of a surrogate pair. */
export function cutText(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Whether a parsed value holds, in a string or a key, a character PostgreSQL refuses. */
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
