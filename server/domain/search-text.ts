// How registrations are found by text: case- and accent-insensitive substring search.
//
// The same folding is applied once to a registration's snapshot (stored as its search text) and
// to every search term, so `Ångström` finds `angstrom ab` and `MÜLLER` finds `Müller GmbH`.
// Folding in the application keeps the database free of extensions (unaccent is not in every
// PostgreSQL we run on), and a snapshot never changes, so its text never needs recomputing.

/** Lowercase, without diacritics, with compatibility forms unified (ﬁ → fi, full-width → ASCII). */
export function foldForSearch(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      // Letters that do not decompose into a base letter plus a mark.
      .replace(/ø/g, 'o')
      .replace(/æ/g, 'ae')
      .replace(/œ/g, 'oe')
      .replace(/ß/g, 'ss')
      .replace(/đ/g, 'd')
      .replace(/ł/g, 'l')
      .replace(/þ/g, 'th')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The search text of a registration: its searchable fields, folded, one per line. */
export function searchTextOf(fields: ReadonlyArray<string | null | undefined>): string {
  return fields
    .filter((field): field is string => typeof field === 'string' && field.trim() !== '')
    .map(foldForSearch)
    .join('\n');
}
