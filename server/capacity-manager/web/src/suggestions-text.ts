// The Suggestions view's words in English and Swedish, beside the view (the page's shared words
// are in i18n.ts; the view's own sentences stay here so the view can change on its own).
import type { PluralForms } from '../../../../extensions/src/app/cards/locale-format.js';
import { type Locale, useI18n } from './i18n.js';

const en = {
  heading: 'Suggestions',
  /** The status bar's link here when the portal is over its limit. */
  seeSuggestions: 'See which to release',
  intro: (days: string) =>
    `Domains you could release, most worth it first: their contact is gone or lost in HubSpot, nothing has been logged on it for ${days} days, the claim expires soon with no activity, or an automatic rule registered it and nobody picked it up.`,
  overLimit: {
    one: 'You are over your limit: deregister {n} domain to register again. The best candidate is selected for you.',
    other: 'You are over your limit: deregister {n} domains to register again. The best {n} candidates are selected for you.',
  } as PluralForms,
  none: 'Nothing to suggest: every claim is being worked on.',
  tableCaption: (n: string) => `Suggested domains to release: ${n}`,
  columns: { reasons: 'Why', lastActivity: 'Last activity' },
  noActivity: 'none logged',
  selectAll: 'Select all suggestions',
  reasons: {
    contact_deleted: () => 'The contact was deleted in HubSpot',
    contact_merged: () => 'The contact was merged into another contact',
    lead_lost: (leadStatus: string | null, stage: string | null) =>
      leadStatus ? `Lead status: ${leadStatus === 'BAD_TIMING' ? 'Bad timing' : 'Unqualified'}` : `Lifecycle stage: ${stage === 'other' ? 'Other' : stage}`,
    expiring_without_activity: (date: string) => `Expires ${date} with no activity since it was claimed`,
    inactive: (days: string) => `No activity for ${days} days`,
    automatic_untouched: () => 'Registered by the auto-register rule and never touched since',
    least_active: () => 'Among your least recently active claims',
  },
};

type SuggestionsText = typeof en;

const sv: SuggestionsText = {
  heading: 'Förslag',
  seeSuggestions: 'Se vilka du kan släppa',
  intro: (days) =>
    `Domäner du kan släppa, de mest angelägna först: kontakten är borta eller förlorad i HubSpot, inget har loggats på den på ${days} dagar, anspråket går snart ut utan aktivitet, eller en automatisk regel registrerade den och ingen tog hand om den.`,
  overLimit: {
    one: 'Du är över din gräns: avregistrera {n} domän för att kunna registrera igen. Den bästa kandidaten är vald åt dig.',
    other: 'Du är över din gräns: avregistrera {n} domäner för att kunna registrera igen. De {n} bästa kandidaterna är valda åt dig.',
  },
  none: 'Inget att föreslå: alla anspråk bearbetas.',
  tableCaption: (n) => `Föreslagna domäner att släppa: ${n}`,
  columns: { reasons: 'Varför', lastActivity: 'Senaste aktivitet' },
  noActivity: 'ingen loggad',
  selectAll: 'Välj alla förslag',
  reasons: {
    contact_deleted: () => 'Kontakten har tagits bort i HubSpot',
    contact_merged: () => 'Kontakten har slagits ihop med en annan kontakt',
    lead_lost: (leadStatus, stage) =>
      leadStatus ? `Leadstatus: ${leadStatus === 'BAD_TIMING' ? 'Fel tidpunkt' : 'Okvalificerad'}` : `Livscykelstadium: ${stage === 'other' ? 'Annat' : stage}`,
    expiring_without_activity: (date) => `Går ut ${date} utan aktivitet sedan anspråket gjordes`,
    inactive: (days) => `Ingen aktivitet på ${days} dagar`,
    automatic_untouched: () => 'Registrerad av regeln för automatisk registrering och aldrig rörd sedan dess',
    least_active: () => 'Bland dina minst aktiva anspråk',
  },
};

const TEXT: Record<Locale, SuggestionsText> = { en, sv };

export function useSuggestionsText(): SuggestionsText {
  return TEXT[useI18n().locale];
}
