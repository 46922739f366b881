// Countries as HubSpot gives them, shown and searched in the reader's language.
//
// HubSpot's contact `country` property is free text (its forms offer English names, people type
// what they like), and a registration keeps it as given: the snapshot never changes. To show it
// in Swedish and to let "Sverige" find "Sweden", the stored text is recognised as a country
// through a maintained list of names (i18n-iso-countries: ISO 3166-1 names and common aliases in
// each language), never a list of our own. Text that is not a country stays as it is.
//
// Searching maps the term to countries instead of storing translated names with each
// registration: the search text and its covering indexes (docs/decisions/0005) stay as they are,
// rows already stored are found without being rewritten, and another language is one more
// locale here rather than a rewrite of every row.
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import sv from 'i18n-iso-countries/langs/sv.json' with { type: 'json' };
import { foldForSearch } from './search-text.js';

countries.registerLocale(en);
countries.registerLocale(sv);

export type CountryLocale = 'en' | 'sv';
const LOCALES: readonly CountryLocale[] = ['en', 'sv'];

/** A term shorter than this is not read as part of a country's name (it matches too much). */
const MIN_COUNTRY_TERM = 3;
/** A term that names more countries than this is left as it is (it already matches broadly). */
const MAX_COUNTRIES_PER_TERM = 3;

/** The ISO 3166-1 alpha-2 code of a stored country (a name or alias in English or Swedish, or an ISO code), else null. */
export function countryCodeOf(stored: string): string | null {
  const text = stored.trim();
  if (!text) return null;
  for (const locale of LOCALES) {
    const code = countries.getAlpha2Code(text, locale);
    if (code) return code;
  }
  const upper = text.toUpperCase();
  return /^[A-Z]{2,3}$/.test(upper) && countries.isValid(upper) ? (countries.toAlpha2(upper) ?? null) : null;
}

/** The stored country in the reader's language ("Sweden" → "Sverige"); text that is no known country, as stored. */
export function countryNameIn(stored: string, locale: CountryLocale): string {
  const code = countryCodeOf(stored);
  return (code && countries.getName(code, locale)) || stored;
}

/** Every name and alias of each country in every language, folded as search text is. */
const FOLDED_NAMES: ReadonlyArray<readonly string[]> = Object.keys(countries.getAlpha2Codes()).map((code) => [
  ...new Set(
    LOCALES.flatMap((locale) => {
      const names = countries.getNames(locale, { select: 'all' })[code] ?? [];
      return names.map(foldForSearch);
    }),
  ),
]);

/**
 * The other names to search for when a (folded) search term is part of a country's name in
 * any language: "sverige" → ["sweden", …]. Empty when the term names no country, or too many.
 */
export function otherCountryNames(foldedTerm: string): string[] {
  if (foldedTerm.length < MIN_COUNTRY_TERM) return [];
  const named = FOLDED_NAMES.filter((names) => names.some((name) => name.includes(foldedTerm)));
  if (named.length === 0 || named.length > MAX_COUNTRIES_PER_TERM) return [];
  return [...new Set(named.flat().filter((name) => !name.includes(foldedTerm)))];
}
