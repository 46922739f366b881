// The card's words in English and Swedish, chosen from the HubSpot user's locale. Refusals are
// written here from their code and details (the server's sentences are English only).
import type { Refusal } from './card-api-contract.js';
import { FORMAT_TAGS, localeFormat, type AppLocale, type LocaleFormat, type PluralForms } from './locale-format.js';

export type CardLocale = AppLocale;

export function cardLocaleOf(locale: string | undefined): CardLocale {
  return /^sv([-_]|$)/i.test(locale ?? '') ? 'sv' : 'en';
}

const tiers = {
  en: { untiered: 'Untiered', silver: 'Silver', gold: 'Gold', platinum: 'Platinum', diamond: 'Diamond' },
  sv: { untiered: 'Utan nivå', silver: 'Silver', gold: 'Guld', platinum: 'Platina', diamond: 'Diamant' },
};

const en = {
  loading: 'Loading registration…',
  registered: 'Registered',
  notRegistered: 'Not registered',
  domain: 'Domain',
  registeredOn: 'Registered on',
  registeredBy: 'Registered by',
  byRule: (rule: string) => `Automatic rule (${rule})`,
  byOperator: 'Partner Capacity operator',
  /** Handed over from the waitlist when the domain was released; `who` joined the waitlist. */
  byWaitlist: (who: string) => `The waitlist (joined by ${who})`,
  /** The contact is a link to its record, placed between the two parts. */
  throughOther: { before: (domain: string) => `${domain} is registered through another contact, `, after: (date: string) => `, since ${date}.` },
  anotherContact: 'another contact',
  /** The link's words for a contact without a name. */
  unnamedContact: 'a contact without a name',
  websiteChangedTitle: 'Website changed',
  websiteChanged: (current: string | null, registered: string) =>
    current
      ? `This contact's website now points to ${current}. The registration stays on ${registered}: a registered domain never changes.`
      : `This contact no longer has a website. The registration stays on ${registered}: a registered domain never changes.`,
  willRegister: (domain: string) => `Registering claims ${domain} for your partner account and uses one domain of your capacity.`,
  register: 'Register',
  registering: 'Registering…',
  noWebsite: "This contact has no website, so there is no domain to register. Add the company's website to the Website URL property, then register.",
  invalidWebsite: (reason: string) => `This contact's website cannot be registered: ${reason}. Correct the Website URL property, then register.`,
  freeMailDomain: (domain: string) =>
    `${domain} belongs to a free e-mail or internet provider, not to the company, so it cannot be registered. Put the company's own website in the Website URL property, then register.`,
  justRegistered: (domain: string) => `${domain} is registered to your partner account.`,
  refusedTitle: 'Not registered',
  capacityFull: (used: string, limit: string, tier: string) =>
    `Your capacity is full: ${used} of ${limit} are registered (${tier} tier). Free capacity by deregistering domains you no longer work on, then register again.`,
  overLimit: (over: string, limit: string, toFree: string) => `${over} over your limit of ${limit} — deregister ${toFree} to register again.`,
  domainHeld: (domain: string, since: string, until: string | null) =>
    `${domain} is held by another partner of the program since ${since}${until ? `, until ${until} unless renewed` : ''}. Join the waitlist to get it registered to you automatically when it is released.`,
  heldTag: 'Held by another partner',
  joinWaitlist: 'Join the waitlist',
  joiningWaitlist: 'Joining…',
  waitlistTag: 'On the waitlist',
  /** The place as a number and as shown in the language ("1,234"). */
  waitlistPlace: (domain: string, position: number, shown: string) => (position === 1 ? `You are first in line for ${domain}.` : `You are number ${shown} in line for ${domain}.`),
  waitlistHow: 'When it is released it is registered to your partner account automatically, if you have room then. Waiting uses no capacity.',
  waitlistSkipped: (date: string) => `It was released on ${date} while your capacity was full: you kept your place.`,
  leaveWaitlist: 'Leave the waitlist',
  leavingWaitlist: 'Leaving…',
  waitlistTitle: 'Waitlist',
  joinedWaitlist: (domain: string) => `You joined the waitlist for ${domain}.`,
  leftWaitlist: (domain: string) => `You left the waitlist for ${domain}.`,
  waitlistFailed: 'The waitlist could not be changed. Try again.',
  waitlistRefusals: {
    DOMAIN_NOT_HELD: 'No other partner holds this domain any more: register it instead.',
    DOMAIN_OWN: 'This domain is already registered to your partner account.',
    CLAIMS_SHARED: 'Partners of this program may share domains, so there is no waitlist: register it instead.',
    NO_DOMAIN: "This contact's website cannot be registered, so there is no domain to wait for.",
  },
  domains: { one: 'domain', other: 'domains' } as PluralForms,
  expiresOn: 'Expires on',
  expiringTitle: 'Claim expiring soon',
  /** `left` is the count with its word ("2 renewals"). */
  expiringSoon: (domain: string, date: string, left: string) => `Your claim on ${domain} ends on ${date}. Renew it to keep it for another period (${left} left).`,
  expiringNoRenewals: (domain: string, date: string) =>
    `Your claim on ${domain} ends on ${date}, and it has been renewed as often as the program allows. Register it again afterwards if it is still free.`,
  renewalsLeft: (left: string) => `${left} left`,
  renewals: { one: 'renewal', other: 'renewals' } as PluralForms,
  renew: 'Renew',
  renewing: 'Renewing…',
  renewedTitle: 'Renewed',
  justRenewed: (domain: string, date: string) => `${domain} is renewed: your claim now lasts until ${date}.`,
  renewalRefusedTitle: 'Not renewed',
  renewalRefusals: {
    NO_RENEWALS_LEFT: 'This claim has been renewed as often as the program allows. It ends on its expiry date; register it again afterwards if it is still free.',
    NOT_EXPIRING: 'Claims of this program do not expire, so there is nothing to renew.',
    NOT_REGISTERED: "This contact's registration has ended or changed since the card showed it, so nothing was renewed. The card now shows it as it is.",
  },
  renewFailed: 'The renewal did not go through. Try again.',
  alreadyThisContact: (domain: string, date: string) => `${domain} is already registered through this contact, since ${date}. Nothing more is needed.`,
  alreadyOther: (domain: string, contact: string, date: string) =>
    `${domain} is already registered through ${contact}, since ${date}. A domain is registered once; nothing more is needed.`,
  portalNotFound: 'Partner Capacity is not installed in this HubSpot account. Ask a Super Admin to install it.',
  capacity: 'Capacity',
  usedOf: (used: string, limit: string) => `${used} of ${limit}`,
  registeredWord: 'registered',
  tier: (tier: string) => `${tier} tier`,
  alert: {
    80: (percent: string) => `You have used ${percent} of your capacity.`,
    90: (percent: string) => `You have used ${percent} of your capacity: new registrations will soon be refused.`,
    100: () => 'Your capacity is full: new registrations are refused until you deregister domains.',
  },
  freeSome: 'Free capacity in the Capacity Manager',
  manage: 'Manage your capacity',
  unreachableTitle: "Partner Capacity didn't answer",
  unreachable: 'The registration status could not be loaded. Check your connection and try again.',
  registerFailed: 'The registration did not go through. Try again.',
  hubspotUnavailable: 'HubSpot did not answer when we read this contact. Try again in a moment.',
  retry: 'Try again',
  notConnectedTitle: 'Partner Capacity is not connected',
  notConnected: 'Partner Capacity lost its connection to this HubSpot account, so it cannot register contacts. A Super Admin must install the app again.',
  reinstall: 'Install Partner Capacity again',
  contactNotFoundTitle: 'Contact not found',
  contactNotFound: 'HubSpot does not have this contact any more (deleted or merged). Reload the record.',
  tiers: tiers.en,
};

export type CardText = typeof en;

const sv: CardText = {
  loading: 'Laddar registrering…',
  registered: 'Registrerad',
  notRegistered: 'Inte registrerad',
  domain: 'Domän',
  registeredOn: 'Registrerad',
  registeredBy: 'Registrerad av',
  byRule: (rule) => `Automatisk regel (${rule})`,
  byOperator: 'Operatören för Partner Capacity',
  byWaitlist: (who) => `Kön (anmäld av ${who})`,
  throughOther: { before: (domain) => `${domain} är registrerad genom en annan kontakt, `, after: (date) => `, sedan ${date}.` },
  anotherContact: 'en annan kontakt',
  unnamedContact: 'en kontakt utan namn',
  websiteChangedTitle: 'Webbplatsen har ändrats',
  websiteChanged: (current, registered) =>
    current
      ? `Kontaktens webbplats pekar nu på ${current}. Registreringen gäller fortfarande ${registered}: en registrerad domän ändras aldrig.`
      : `Kontakten har inte längre någon webbplats. Registreringen gäller fortfarande ${registered}: en registrerad domän ändras aldrig.`,
  willRegister: (domain) => `Registreringen gör anspråk på ${domain} för ditt partnerkonto och använder en domän av din kapacitet.`,
  register: 'Registrera',
  registering: 'Registrerar…',
  noWebsite: 'Kontakten har ingen webbplats, så det finns ingen domän att registrera. Lägg till företagets webbplats i egenskapen Website URL och registrera sedan.',
  invalidWebsite: (reason) => `Kontaktens webbplats kan inte registreras: ${reason}. Rätta egenskapen Website URL och registrera sedan.`,
  freeMailDomain: (domain) =>
    `${domain} tillhör en leverantör av gratis e-post eller internet, inte företaget, och kan inte registreras. Ange företagets egen webbplats i egenskapen Website URL och registrera sedan.`,
  justRegistered: (domain) => `${domain} är registrerad för ditt partnerkonto.`,
  refusedTitle: 'Inte registrerad',
  capacityFull: (used, limit, tier) =>
    `Din kapacitet är full: ${used} av ${limit} är registrerade (nivå ${tier}). Frigör kapacitet genom att avregistrera domäner du inte längre arbetar med och registrera sedan igen.`,
  overLimit: (over, limit, toFree) => `${over} över din gräns på ${limit} — avregistrera ${toFree} för att kunna registrera igen.`,
  domainHeld: (domain, since, until) =>
    `${domain} innehas av en annan partner i programmet sedan ${since}${until ? `, till ${until} om den inte förnyas` : ''}. Ställ dig i kön för att få den registrerad automatiskt när den släpps.`,
  heldTag: 'Innehas av en annan partner',
  joinWaitlist: 'Ställ dig i kön',
  joiningWaitlist: 'Ställer dig i kön…',
  waitlistTag: 'I kön',
  waitlistPlace: (domain, position, shown) => (position === 1 ? `Du står först i kön för ${domain}.` : `Du har plats ${shown} i kön för ${domain}.`),
  waitlistHow: 'När den släpps registreras den automatiskt för ditt partnerkonto, om du har plats då. Att stå i kön använder ingen kapacitet.',
  waitlistSkipped: (date) => `Den släpptes ${date} när din kapacitet var full: du behöll din plats.`,
  leaveWaitlist: 'Lämna kön',
  leavingWaitlist: 'Lämnar kön…',
  waitlistTitle: 'Kö',
  joinedWaitlist: (domain) => `Du står nu i kön för ${domain}.`,
  leftWaitlist: (domain) => `Du har lämnat kön för ${domain}.`,
  waitlistFailed: 'Kön kunde inte ändras. Försök igen.',
  waitlistRefusals: {
    DOMAIN_NOT_HELD: 'Ingen annan partner innehar längre domänen: registrera den i stället.',
    DOMAIN_OWN: 'Domänen är redan registrerad för ditt partnerkonto.',
    CLAIMS_SHARED: 'Partner i det här programmet kan dela domäner, så det finns ingen kö: registrera den i stället.',
    NO_DOMAIN: 'Kontaktens webbplats kan inte registreras, så det finns ingen domän att köa för.',
  },
  domains: { one: 'domän', other: 'domäner' },
  expiresOn: 'Upphör',
  expiringTitle: 'Anspråket upphör snart',
  expiringSoon: (domain, date, left) => `Ditt anspråk på ${domain} upphör ${date}. Förnya det för att behålla det ytterligare en period (${left} kvar).`,
  expiringNoRenewals: (domain, date) =>
    `Ditt anspråk på ${domain} upphör ${date} och har förnyats så många gånger som programmet tillåter. Registrera domänen igen efteråt om den fortfarande är ledig.`,
  renewalsLeft: (left) => `${left} kvar`,
  renewals: { one: 'förnyelse', other: 'förnyelser' },
  renew: 'Förnya',
  renewing: 'Förnyar…',
  renewedTitle: 'Förnyad',
  justRenewed: (domain, date) => `${domain} är förnyad: ditt anspråk gäller nu till ${date}.`,
  renewalRefusedTitle: 'Inte förnyad',
  renewalRefusals: {
    NO_RENEWALS_LEFT:
      'Anspråket har redan förnyats så många gånger som programmet tillåter. Det upphör på utgångsdagen; registrera domänen igen efteråt om den fortfarande är ledig.',
    NOT_EXPIRING: 'Anspråk i det här programmet upphör inte, så det finns inget att förnya.',
    NOT_REGISTERED: 'Kontaktens registrering har upphört eller ändrats sedan kortet visade den, så inget förnyades. Kortet visar den nu som den är.',
  },
  renewFailed: 'Förnyelsen gick inte igenom. Försök igen.',
  alreadyThisContact: (domain, date) => `${domain} är redan registrerad genom den här kontakten sedan ${date}. Inget mer behövs.`,
  alreadyOther: (domain, contact, date) => `${domain} är redan registrerad genom ${contact} sedan ${date}. En domän registreras en gång; inget mer behövs.`,
  portalNotFound: 'Partner Capacity är inte installerat i det här HubSpot-kontot. Be en superadministratör att installera det.',
  capacity: 'Kapacitet',
  usedOf: (used, limit) => `${used} av ${limit}`,
  registeredWord: 'registrerade',
  tier: (tier) => `Nivå ${tier}`,
  alert: {
    80: (percent) => `Du har använt ${percent} av din kapacitet.`,
    90: (percent) => `Du har använt ${percent} av din kapacitet: snart nekas nya registreringar.`,
    100: () => 'Din kapacitet är full: nya registreringar nekas tills du avregistrerar domäner.',
  },
  freeSome: 'Frigör kapacitet i Kapacitetshanteraren',
  manage: 'Hantera din kapacitet',
  unreachableTitle: 'Partner Capacity svarade inte',
  unreachable: 'Registreringsstatus kunde inte laddas. Kontrollera anslutningen och försök igen.',
  registerFailed: 'Registreringen gick inte igenom. Försök igen.',
  hubspotUnavailable: 'HubSpot svarade inte när vi läste kontakten. Försök igen om en stund.',
  retry: 'Försök igen',
  notConnectedTitle: 'Partner Capacity är inte anslutet',
  notConnected: 'Partner Capacity har förlorat anslutningen till det här HubSpot-kontot och kan inte registrera kontakter. En superadministratör måste installera appen igen.',
  reinstall: 'Installera Partner Capacity igen',
  contactNotFoundTitle: 'Kontakten finns inte',
  contactNotFound: 'HubSpot har inte längre den här kontakten (borttagen eller sammanslagen). Ladda om posten.',
  tiers: tiers.sv,
};

export const CARD_TEXT: Record<CardLocale, CardText> = { en, sv };

export interface CardFormat extends LocaleFormat {
  text: CardText;
  /** Used of the limit with the word: "1 of 500 domains" / "1 av 500 domäner". */
  usedOf(used: number, limit: number): string;
  /** The share of the limit in use, as a whole percentage in the language's style ("85 %"). */
  percent(used: number, limit: number): string;
}

export function cardFormat(locale: CardLocale): CardFormat {
  const format = localeFormat(locale);
  const text = CARD_TEXT[locale];
  const percents = new Intl.NumberFormat(FORMAT_TAGS[locale], { style: 'percent', maximumFractionDigits: 0 });
  return {
    ...format,
    text,
    usedOf: (used, limit) => text.usedOf(format.number(used), format.count(limit, text.domains)),
    // Rounded down: "90 %" is shown only once 90 % is reached, as the alert levels are.
    percent: (used, limit) => percents.format(limit === 0 ? 1 : Math.floor((used / limit) * 100) / 100),
  };
}

/** The refusal as a sentence in the card's language, saying what to do. */
export function refusalSentence(refusal: Refusal, format: CardFormat): string {
  const { text, number, dateTime } = format;
  switch (refusal.code) {
    case 'NO_WEBSITE':
      return text.noWebsite;
    case 'INVALID_WEBSITE':
      return text.invalidWebsite(refusal.details.reason);
    case 'FREE_MAIL_DOMAIN':
      return text.freeMailDomain(refusal.details.domain);
    case 'CAPACITY_FULL': {
      const { used, limit, tier } = refusal.details;
      const full = text.capacityFull(number(used), format.count(limit, text.domains), text.tiers[tier]);
      return used > limit ? `${full} ${text.overLimit(number(used - limit), number(limit), number(used - limit + 1))}` : full;
    }
    case 'ALREADY_REGISTERED': {
      const { details } = refusal;
      const when = dateTime(details.registeredAt);
      if (details.sameContact) return text.alreadyThisContact(details.domain, when);
      // Named, never by id: the status below the notice links to that contact's record.
      return text.alreadyOther(details.domain, details.contactName ?? text.anotherContact, when);
    }
    case 'PORTAL_NOT_FOUND':
      return text.portalNotFound;
    case 'DOMAIN_HELD': {
      const { details } = refusal;
      return text.domainHeld(details.domain, dateTime(details.heldSince), details.heldUntil ? dateTime(details.heldUntil) : null);
    }
  }
}
