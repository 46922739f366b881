// The languages the Capacity Manager and the card speak, and how a HubSpot locale maps to one.
export const LOCALES = ['en', 'sv'] as const;
export type Locale = (typeof LOCALES)[number];

/** `sv`, `sv-se`, `sv_SE` → sv; anything else (or nothing) → en. */
export function localeFrom(value: string | null | undefined): Locale {
  return /^sv([-_]|$)/i.test(value ?? '') ? 'sv' : 'en';
}
