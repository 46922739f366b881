// JSON that PostgreSQL's jsonb cannot hold, found before it costs a whole webhook batch.
//
// JSON allows two things jsonb refuses ("unsupported Unicode escape sequence: \u0000 cannot be
// converted to text"; "Unicode low surrogate must follow a high surrogate"): the character
// U+0000 and unpaired UTF-16 surrogates, both only as `\u` escapes in the body. One event with
// either would fail the batch's INSERT, so the receiver marks such an event unparsed and stores
// the batch with those characters replaced by U+FFFD (domain/storable-text.ts). The common case
// pays one regex scan.
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** False for nearly every body: only a `\u0000` or surrogate escape can make one unstorable. */
export function mayHoldUnstorableText(json: string): boolean {
  return SUSPECT_ESCAPE.test(json);
}
