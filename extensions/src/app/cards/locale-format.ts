// Numbers, dates and plurals the same way on the card and on the Capacity Manager page: both read
// this one module (the page imports it from here, because the card's bundle cannot reach outside
// the HubSpot project folder), so a date registered on the card looks the same on the page.
//
// Words that depend on a count are chosen with Intl.PluralRules, never with `n === 1`: Swedish
// and English happen to agree ("1 domän", "2 domäner"), but the rule is the language's, not ours.

/** The app's two languages. */
export type AppLocale = 'en' | 'sv';

/** The language tag each of the app's languages formats with (one place for card and page). */
export const FORMAT_TAGS: Readonly<Record<AppLocale, string>> = { en: 'en-GB', sv: 'sv-SE' };

/** A word in each plural form the language has; `other` is the fallback every language has. */
export type PluralForms = { one: string; other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

export interface LocaleFormat {
  number(value: number): string;
  /** Date and time, short: "24 Nov 2026, 15:12" / "24 nov. 2026 15:12". */
  dateTime(iso: string): string;
  /** The form of a word that goes with a count: plural(1, {one: 'domain', other: 'domains'}). */
  plural(count: number, forms: PluralForms): string;
  /** The count, formatted, with its word: "1 domain", "1,234 domains". */
  count(count: number, forms: PluralForms): string;
}

export function localeFormat(locale: AppLocale): LocaleFormat {
  const tag = FORMAT_TAGS[locale];
  const numbers = new Intl.NumberFormat(tag);
  const dateTimes = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const rules = new Intl.PluralRules(tag);
  const plural = (count: number, forms: PluralForms) => forms[rules.select(count)] ?? forms.other;
  return {
    number: (value) => numbers.format(value),
    dateTime: (iso) => dateTimes.format(new Date(iso)),
    plural,
    count: (count, forms) => `${numbers.format(count)} ${plural(count, forms)}`,
  };
}
