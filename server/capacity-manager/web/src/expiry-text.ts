// The words for claim expiry — the Expires column, Renew, the "Expiring soon" view and the status
// bar's banner — in English and Swedish, beside what uses them (the page's shared words are in
// i18n.ts, like the Suggestions view's in suggestions-text.ts).
import type { PluralForms } from '../../../../extensions/src/app/cards/locale-format.js';
import { type Locale, useI18n } from './i18n.js';

const en = {
  heading: 'Expiring soon',
  column: 'Expires',
  never: 'Never',
  renew: 'Renew',
  renewLabel: (domain: string) => `Renew ${domain}`,
  renewalsLeft: { one: '{n} renewal left', other: '{n} renewals left' } as PluralForms,
  noRenewalsLeft: 'No renewals left',
  renewed: (domain: string, date: string) => `${domain} is renewed: it now expires ${date}.`,
  /** Why a renewal was refused, by the API's code; other codes show the server's sentence. */
  refusals: {
    NO_RENEWALS_LEFT: (domain: string) =>
      `${domain} cannot be renewed: it has been renewed as often as your partner program allows. It ends when it expires; register it again afterwards if it is still free.`,
    NOT_EXPIRING: (_domain: string) => 'Claims in your partner program do not expire, so there is nothing to renew.',
    NOT_ACTIVE: (domain: string) => `${domain} is no longer registered, so it cannot be renewed. Register it again if it is still free.`,
    REGISTRATION_NOT_FOUND: (domain: string) => `${domain} is not registered in this HubSpot account any more. Reload the list.`,
  } as Record<string, (domain: string) => string>,
  banner: { one: '{n} claim expires within {days} days', other: '{n} claims expire within {days} days' } as PluralForms,
  review: 'review',
  intro: (days: string) => `Claims that expire within ${days} days, soonest first. Renew the ones you still work on; the others end on their date and free your capacity.`,
  none: (days: string) => `No claims expire within ${days} days.`,
  noClaimPeriod: 'Claims in your partner program do not expire: nothing here will ever expire.',
  noScope:
    'Reminders appear here only: this account did not grant the app access to create tasks in HubSpot, so nobody gets a reminder task before a claim expires. A HubSpot admin can install the app again and grant that access.',
  tableCaption: (n: string) => `Claims expiring soon (${n})`,
};

type ExpiryText = typeof en;

const sv: ExpiryText = {
  heading: 'Går snart ut',
  column: 'Går ut',
  never: 'Aldrig',
  renew: 'Förnya',
  renewLabel: (domain) => `Förnya ${domain}`,
  renewalsLeft: { one: '{n} förnyelse kvar', other: '{n} förnyelser kvar' },
  noRenewalsLeft: 'Inga förnyelser kvar',
  renewed: (domain, date) => `${domain} är förnyad: den går nu ut ${date}.`,
  refusals: {
    NO_RENEWALS_LEFT: (domain) =>
      `${domain} kan inte förnyas: den har förnyats så många gånger som ditt partnerprogram tillåter. Den upphör när den går ut; registrera den igen efteråt om den fortfarande är ledig.`,
    NOT_EXPIRING: () => 'Anspråk i ditt partnerprogram går inte ut, så det finns inget att förnya.',
    NOT_ACTIVE: (domain) => `${domain} är inte längre registrerad och kan därför inte förnyas. Registrera den igen om den fortfarande är ledig.`,
    REGISTRATION_NOT_FOUND: (domain) => `${domain} är inte längre registrerad i det här HubSpot-kontot. Ladda om listan.`,
  },
  banner: { one: '{n} anspråk går ut inom {days} dagar', other: '{n} anspråk går ut inom {days} dagar' },
  review: 'granska',
  intro: (days) =>
    `Anspråk som går ut inom ${days} dagar, det som går ut först överst. Förnya dem du fortfarande arbetar med; de andra upphör på sitt datum och frigör din kapacitet.`,
  none: (days) => `Inga anspråk går ut inom ${days} dagar.`,
  noClaimPeriod: 'Anspråk i ditt partnerprogram går inte ut: inget här kommer någonsin att gå ut.',
  noScope:
    'Påminnelser visas bara här: kontot har inte gett appen åtkomst att skapa uppgifter i HubSpot, så ingen får en påminnelseuppgift innan ett anspråk går ut. En administratör i HubSpot kan installera appen igen och ge den åtkomsten.',
  tableCaption: (n) => `Anspråk som snart går ut (${n})`,
};

const TEXT: Record<Locale, ExpiryText> = { en, sv };

export function useExpiryText(): ExpiryText {
  return TEXT[useI18n().locale];
}
