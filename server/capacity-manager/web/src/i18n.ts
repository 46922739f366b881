// The page's words in English and Swedish. The language comes from the session (the HubSpot
// user's locale when the page was opened from the card) and can be switched on the page.
//
// A sentence with a count in it is a set of plural forms (`{n}` is the formatted count), chosen
// with Intl.PluralRules through `counted` — never "1 domains". Numbers and dates are formatted
// by the same module as the card's (extensions/src/app/cards/locale-format.ts), so a date looks
// the same on the card and here.
import { createContext, useContext } from 'react';
import type { DeregistrationJobAnswer } from '../../capacity-manager-contract.js';
import { FORMAT_TAGS, localeFormat, type AppLocale, type PluralForms } from '../../../../extensions/src/app/cards/locale-format.js';

export type Locale = AppLocale;
export type Tier = 'untiered' | 'silver' | 'gold' | 'platinum' | 'diamond';

const en = {
  appName: 'Partner Capacity',
  title: 'Capacity Manager',
  loading: 'Loading…',
  signedInAs: (who: string) => `Signed in as ${who}`,
  signOut: 'Sign out',
  language: 'Language',
  otherLanguage: 'Svenska',
  otherLanguageCode: 'sv' as Locale,
  views: {
    label: 'Views',
    registered: 'Registered domains',
    history: 'History',
    audit: 'Audit trail',
    settings: 'Settings',
    suggestions: 'Suggestions',
    expiring: 'Expiring soon',
  },
  skipToTable: 'Skip to the table',
  skipToSettings: 'Skip to the settings',

  capacity: {
    heading: 'Capacity',
    /** "60 of 500 domains": the limit carries the noun. */
    usedOf: (used: string, limit: string) => `${used} of ${limit}`,
    domains: { one: '{n} domain', other: '{n} domains' } as PluralForms,
    domainsUsed: 'registered',
    barLabel: 'Capacity in use',
    remaining: (n: string) => `${n} left`,
    tier: 'Tier',
    limitSet: 'limit set by your partner program',
    alert: {
      80: (percent: string) => `You have used ${percent} of your capacity. Deregister domains you no longer work on to keep room for new leads.`,
      90: (percent: string) => `You have used ${percent} of your capacity. Soon new registrations will be refused: deregister domains you no longer work on.`,
      100: (_percent: string) => 'Your capacity is full: new registrations are refused until you deregister domains you no longer work on.',
    },
    overLimit: (over: string, limit: string, toFree: string) => `${over} over your limit of ${limit} — deregister ${toFree} to register again.`,
    /** Waited-for domains released while the capacity was full (the waitlist), the last 30 days; `domains` lists the most recent. */
    waitlistSkipped: (count: number, shownCount: string, domains: string) =>
      count === 1
        ? `${domains}, which you wait for, was released while your capacity was full, so it went to the next partner on the waitlist. You keep your place: deregister domains you no longer work on to get it next time.`
        : `${shownCount} domains you wait for were released while your capacity was full (${domains}), so they went to the next partners on the waitlist. You keep your places: deregister domains you no longer work on to get them next time.`,
  },
  tiers: { untiered: 'Untiered', silver: 'Silver', gold: 'Gold', platinum: 'Platinum', diamond: 'Diamond' } satisfies Record<Tier, string>,

  search: { label: 'Search by domain, company, contact name or country', placeholder: 'Search domains, companies, contacts, countries' },
  registeredBefore: { label: 'Registered before', clear: 'Clear the date' },
  columns: {
    domain: 'Domain',
    companyName: 'Company',
    contactName: 'Contact name',
    country: 'Country',
    registeredAt: 'Registered',
    registeredBy: 'Registered by',
    deregisteredAt: 'Deregistered',
    deregisteredBy: 'Deregistered by',
    job: 'Job',
  },
  /** In place of the contact's name once a privacy deletion erased it. */
  erasedContact: 'erased contact',
  /** Who registered a domain when it was not a person on the card: the auto-register rule or an operator. */
  registeredByRule: 'auto-register rule',
  registeredByOperator: 'operator',
  /** The link to the contact's HubSpot record when the registration names no contact. */
  contactRecord: 'Contact in HubSpot',
  opensInNewTab: '(opens HubSpot in a new tab)',
  sortedAscending: 'sorted ascending',
  sortedDescending: 'sorted descending',
  tableCaption: (total: string) => `Registered domains (${total})`,
  historyCaption: (total: string) => `Deregistered domains (${total})`,
  selectRow: (domain: string) => `Select ${domain}`,
  selectPage: 'Select all domains on this page',
  selectedCount: (n: string) => `${n} selected`,
  pageSelected: { one: 'The {n} domain on this page is selected.', other: 'All {n} domains on this page are selected.' } as PluralForms,
  selectAllMatching: { one: 'Select the {n} domain matching this search', other: 'Select all {n} domains matching this search' } as PluralForms,
  allMatchingSelected: { one: 'The {n} domain matching this search is selected.', other: 'All {n} domains matching this search are selected.' } as PluralForms,
  wouldFree: { one: 'Deregistering it frees {n} domain of your capacity.', other: 'Deregistering them frees {n} domains of your capacity.' } as PluralForms,
  clearSelection: 'Clear selection',
  deregister: 'Deregister',
  exportCsv: 'Export CSV',
  exportHint: 'Downloads every domain matching the current search, all pages.',
  empty: 'No registered domains match this search.',
  /** Once domains were registered and all of them deregistered since. */
  emptyAll: 'No domains are registered. Register prospects from the Lead Registration card on a contact.',
  /** A portal that never registered a domain. */
  emptyNew: 'No domains are registered yet. Register prospects from the Lead Registration card on a contact.',
  historyEmpty: 'No deregistered domains match this search.',
  pageSize: 'Domains per page',
  pagination: 'Pages',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageOf: (page: string, count: string) => `Page ${page} of ${count}`,
  showing: (from: string, to: string, total: string) => `${from}–${to} of ${total}`,
  /** A total past the list's exact count (the API says totalIsEstimate). */
  aboutTotal: (total: string) => `about ${total}`,

  dialog: {
    title: { one: 'Deregister {n} domain?', other: 'Deregister {n} domains?' } as PluralForms,
    explanation:
      'Deregistering releases a domain from your capacity at once. You are no longer eligible for commission or Sold MRR benefits if the prospect buys HubSpot for that domain.',
    listHeading: 'Domains to deregister',
    allMatching: { one: 'The {n} domain matching “{search}”', other: 'All {n} domains matching “{search}”' } as PluralForms,
    allRegistered: { one: 'The {n} registered domain', other: 'All {n} registered domains' } as PluralForms,
    andMore: (n: string) => `…and ${n} more`,
    registeredBefore: (date: string) => `registered before ${date}`,
    frees: { one: 'This frees {n} domain of your capacity.', other: 'This frees {n} domains of your capacity.' } as PluralForms,
    afterwards: (used: string, limit: string) => `Afterwards: ${used} of ${limit} in use.`,
    cancel: 'Cancel',
    confirm: 'Yes, deregister',
  },

  job: {
    heading: 'Deregistration',
    queued: 'Deregistration queued…',
    running: (done: string, total: string) => `Deregistering… ${done} of ${total} done`,
    progressLabel: 'Deregistration progress',
    completed: { one: '{n} domain deregistered. The capacity is free now.', other: '{n} domains deregistered. The capacity is free now.' } as PluralForms,
    completedWithFailures: {
      one: '{n} contact could not be updated in HubSpot (deleted or merged); its domain is deregistered all the same.',
      other: '{n} contacts could not be updated in HubSpot (deleted or merged); their domains are deregistered all the same.',
    } as PluralForms,
    failed: (error: string) => `The deregistration stopped: ${error}`,
    skipped: {
      one: '{n} of the selected domains was already deregistered or is gone.',
      other: '{n} of the selected domains were already deregistered or are gone.',
    } as PluralForms,
    undo: 'Undo',
    undoUntil: (time: string) => `You can undo this until ${time}.`,
    undone: { one: '{n} domain registered again.', other: '{n} domains registered again.' } as PluralForms,
    notUndone: (n: string) => `${n} could not be registered again:`,
    dismiss: 'Dismiss',
  },

  recentJobs: {
    heading: 'Recent deregistrations',
    undoableHeading: 'Deregistrations you can still undo',
    started: 'Started',
    domains: 'Domains',
    by: 'By',
    state: 'Status',
    status: { queued: 'Queued', running: 'Running', completed: 'Done', failed: 'Stopped' } satisfies Record<DeregistrationJobAnswer['status'], string>,
    undoneAt: (time: string) => `Undone at ${time}`,
    /** The Undo button's accessible name: which job, and until when. */
    undoLabel: (domains: string, until: string) => `Undo the deregistration of ${domains} (possible until ${until})`,
    undoJob: (id: string) => `Undo job ${id}`,
    empty: 'No deregistrations yet.',
  },

  audit: {
    caption: 'Audit trail',
    when: 'When',
    what: 'What',
    who: 'Who',
    domain: 'Domain',
    details: 'Details',
    newer: 'Newer',
    older: 'Older',
    empty: 'Nothing has happened in this portal yet.',
    emptyFiltered: 'No events match these filters.',
    actions: {
      registration_created: 'Registered',
      registration_refused: 'Registration refused',
      registration_deregistered: 'Deregistered',
      portal_created: 'Portal created',
      portal_tier_changed: 'Tier changed',
      portal_limit_changed: 'Limit changed',
      portal_settings_changed: 'Settings changed',
      portal_admin_set: 'Admin named',
      portal_role_granted: 'Allowed to deregister and change settings',
      portal_role_revoked: 'No longer allowed to deregister and change settings',
      registration_renewed: 'Renewed',
      expiry_reminder_sent: 'Expiry reminder',
      waitlist_joined: 'Joined the waitlist',
      waitlist_left: 'Left the waitlist',
      waitlist_assigned: 'Registered from the waitlist',
      waitlist_skipped: 'Passed over on the waitlist',
      conflict_resolved: 'Conflict resolved',
      deregistration_job_retried: 'Deregistration job retried',
    } as Record<string, string>,
    /** A renewal's details: the claim's new expiry and the one it replaced. */
    renewedUntil: (expiresAt: string, before: string) => `now expires ${expiresAt} (was ${before})`,
    /** A waiting partner passed over (no room when the domain was released): it keeps its place. */
    passedOver: (times: number) => `keeps its place in line (passed over ${times === 1 ? 'once' : `${times} times`})`,
    job: (id: string) => `job ${id}`,
    reregisteredByUndo: (id: string) => `re-registered by undoing job ${id}`,
    notReregisteredByUndo: (id: string) => `not re-registered when undoing job ${id}`,
    on: 'on',
    off: 'off',
    tierLimit: "the tier's limit",
    settingNames: { autoRegisterNewContacts: 'Register every new contact', tier: 'Tier', limitOverride: 'Limit' } as Record<string, string>,
    filters: {
      label: 'Filter the audit trail',
      action: 'Action',
      anyAction: 'All actions',
      actor: 'Who',
      actorPlaceholder: 'Name or e-mail',
      from: 'From',
      to: 'To (inclusive)',
      clear: 'Clear filters',
    },
    exportHint: 'Downloads every event matching the filters.',
    refusals: {
      NO_WEBSITE: 'no website',
      INVALID_WEBSITE: 'website not usable',
      FREE_MAIL_DOMAIN: "a free e-mail provider's domain: use the company's website",
      ALREADY_REGISTERED: 'already registered',
      CAPACITY_FULL: 'capacity full',
      PORTAL_NOT_FOUND: 'app not installed',
      DOMAIN_HELD: 'held by another partner',
    } as Record<string, string>,
  },
  settings: {
    autoRegister: 'Register every new contact that has a website',
    autoRegisterHint:
      'When a contact with a website is created in HubSpot, its domain is registered automatically, within your capacity. Contacts ticked "Register as partner lead" are registered either way.',
    saved: 'Saved.',
    preview: {
      heading: (days: string) => `What this rule would have done in the last ${days} days`,
      contacts: { one: '{n} new contact had a website.', other: '{n} new contacts had a website.' } as PluralForms,
      wouldRegister: { one: '{n} domain would have been registered.', other: '{n} domains would have been registered.' } as PluralForms,
      refusedForCapacity: {
        one: '{n} would have been refused because your capacity was full.',
        other: '{n} would have been refused because your capacity was full.',
      } as PluralForms,
      alreadyRegistered: { one: '{n} was already registered.', other: '{n} were already registered.' } as PluralForms,
      notRegistrable: { one: '{n} had no domain that can be registered.', other: '{n} had no domain that can be registered.' } as PluralForms,
      remaining: (after: string, now: string) => `It would leave ${after} of the ${now} domains you have free now.`,
      warning:
        'This rule can fill your capacity: it registers every new contact with a website until the limit is reached, and after that every registration — from the card too — is refused until you deregister domains.',
      confirm: 'Yes, turn it on',
      cancel: 'Cancel',
    },
  },
  channels: {
    card: 'Lead Registration card',
    automatic: 'automatic rule',
    operator: 'operator',
    capacity_manager: 'Capacity Manager',
    api: 'API',
    waitlist: 'waitlist',
    expiry: 'claim expiry',
    conflict_resolution: 'conflict resolution',
  } as Record<string, string>,

  signIn: {
    heading: 'Sign in to the Capacity Manager',
    intro: 'Open the Capacity Manager from the Lead Registration card on any contact in HubSpot (Manage your capacity), or sign in with your HubSpot account.',
    withHubSpot: 'Sign in with HubSpot',
    demo: 'Open the demo portal',
    demoHint: 'Demo mode: explore the Capacity Manager with the demo portal, no HubSpot account needed.',
    'link-used': 'That link was already used. Links from the card work once: choose Manage your capacity on the card again.',
    'link-expired': 'That link has expired. Choose Manage your capacity on the card again for a fresh one.',
    'link-invalid': 'That link is not valid. Choose Manage your capacity on the card again.',
  } as Record<string, string> & { heading: string; intro: string; withHubSpot: string; demo: string; demoHint: string },

  errors: {
    generic: 'Something went wrong. Try again.',
    /** The request never reached the app (offline, or the app is down): never the browser's "Failed to fetch". */
    network: 'Partner Capacity could not be reached. Check your connection and try again.',
    /** The app answered with an error page instead of its own answer. */
    server: 'Partner Capacity did not answer as expected. Try again in a moment.',
    retry: 'Try again',
  },
};

export type Messages = typeof en;

const sv: Messages = {
  appName: 'Partner Capacity',
  title: 'Kapacitetshanteraren',
  loading: 'Laddar…',
  signedInAs: (who) => `Inloggad som ${who}`,
  signOut: 'Logga ut',
  language: 'Språk',
  otherLanguage: 'English',
  otherLanguageCode: 'en',
  views: {
    label: 'Vyer',
    registered: 'Registrerade domäner',
    history: 'Historik',
    audit: 'Händelselogg',
    settings: 'Inställningar',
    suggestions: 'Förslag',
    expiring: 'Går snart ut',
  },
  skipToTable: 'Hoppa till tabellen',
  skipToSettings: 'Hoppa till inställningarna',

  capacity: {
    heading: 'Kapacitet',
    usedOf: (used, limit) => `${used} av ${limit}`,
    domains: { one: '{n} domän', other: '{n} domäner' },
    domainsUsed: 'registrerade',
    barLabel: 'Använd kapacitet',
    remaining: (n) => `${n} kvar`,
    tier: 'Nivå',
    limitSet: 'gräns satt av ditt partnerprogram',
    alert: {
      80: (percent) => `Du har använt ${percent} av din kapacitet. Avregistrera domäner du inte längre arbetar med för att ha plats för nya leads.`,
      90: (percent) => `Du har använt ${percent} av din kapacitet. Snart nekas nya registreringar: avregistrera domäner du inte längre arbetar med.`,
      100: () => 'Din kapacitet är full: nya registreringar nekas tills du avregistrerar domäner du inte längre arbetar med.',
    },
    overLimit: (over, limit, toFree) => `${over} över din gräns på ${limit} — avregistrera ${toFree} för att kunna registrera igen.`,
    waitlistSkipped: (count, shownCount, domains) =>
      count === 1
        ? `${domains}, som du köar för, släpptes när din kapacitet var full och gick därför till nästa partner i kön. Du behåller din plats: avregistrera domäner du inte längre arbetar med för att få den nästa gång.`
        : `${shownCount} domäner du köar för släpptes när din kapacitet var full (${domains}) och gick därför till nästa partner i kön. Du behåller dina platser: avregistrera domäner du inte längre arbetar med för att få dem nästa gång.`,
  },
  tiers: { untiered: 'Utan nivå', silver: 'Silver', gold: 'Guld', platinum: 'Platina', diamond: 'Diamant' },

  search: { label: 'Sök på domän, företag, kontaktnamn eller land', placeholder: 'Sök domäner, företag, kontakter, länder' },
  registeredBefore: { label: 'Registrerad före', clear: 'Rensa datumet' },
  columns: {
    domain: 'Domän',
    companyName: 'Företag',
    contactName: 'Kontaktnamn',
    country: 'Land',
    registeredAt: 'Registrerad',
    registeredBy: 'Registrerad av',
    deregisteredAt: 'Avregistrerad',
    deregisteredBy: 'Avregistrerad av',
    job: 'Jobb',
  },
  erasedContact: 'raderad kontakt',
  registeredByRule: 'regel för automatisk registrering',
  registeredByOperator: 'operatör',
  contactRecord: 'Kontakt i HubSpot',
  opensInNewTab: '(öppnar HubSpot i en ny flik)',
  sortedAscending: 'sorterad stigande',
  sortedDescending: 'sorterad fallande',
  tableCaption: (total) => `Registrerade domäner (${total})`,
  historyCaption: (total) => `Avregistrerade domäner (${total})`,
  selectRow: (domain) => `Markera ${domain}`,
  selectPage: 'Markera alla domäner på sidan',
  selectedCount: (n) => `${n} markerade`,
  pageSelected: { one: 'Den {n} domänen på sidan är markerad.', other: 'Alla {n} domäner på sidan är markerade.' },
  selectAllMatching: { one: 'Markera den {n} domänen som matchar sökningen', other: 'Markera alla {n} domäner som matchar sökningen' },
  allMatchingSelected: { one: 'Den {n} domänen som matchar sökningen är markerad.', other: 'Alla {n} domäner som matchar sökningen är markerade.' },
  wouldFree: { one: 'Att avregistrera den frigör {n} domän av din kapacitet.', other: 'Att avregistrera dem frigör {n} domäner av din kapacitet.' },
  clearSelection: 'Avmarkera alla',
  deregister: 'Avregistrera',
  exportCsv: 'Exportera CSV',
  exportHint: 'Laddar ner alla domäner som matchar sökningen, alla sidor.',
  empty: 'Inga registrerade domäner matchar sökningen.',
  emptyAll: 'Inga domäner är registrerade. Registrera prospekt från kortet Lead Registration på en kontakt.',
  emptyNew: 'Inga domäner är registrerade ännu. Registrera prospekt från kortet Lead Registration på en kontakt.',
  historyEmpty: 'Inga avregistrerade domäner matchar sökningen.',
  pageSize: 'Domäner per sida',
  pagination: 'Sidor',
  previousPage: 'Föregående sida',
  nextPage: 'Nästa sida',
  pageOf: (page, count) => `Sida ${page} av ${count}`,
  showing: (from, to, total) => `${from}–${to} av ${total}`,
  aboutTotal: (total) => `cirka ${total}`,

  dialog: {
    title: { one: 'Avregistrera {n} domän?', other: 'Avregistrera {n} domäner?' },
    explanation:
      'Avregistrering frigör en domän från din kapacitet direkt. Du har inte längre rätt till provision eller sålda MRR-förmåner om prospektet köper HubSpot för den domänen.',
    listHeading: 'Domäner som avregistreras',
    allMatching: { one: 'Den {n} domänen som matchar ”{search}”', other: 'Alla {n} domäner som matchar ”{search}”' },
    allRegistered: { one: 'Den {n} registrerade domänen', other: 'Alla {n} registrerade domäner' },
    andMore: (n) => `…och ${n} till`,
    registeredBefore: (date) => `registrerade före ${date}`,
    frees: { one: 'Det frigör {n} domän av din kapacitet.', other: 'Det frigör {n} domäner av din kapacitet.' },
    afterwards: (used, limit) => `Därefter: ${used} av ${limit} använda.`,
    cancel: 'Avbryt',
    confirm: 'Ja, avregistrera',
  },

  job: {
    heading: 'Avregistrering',
    queued: 'Avregistreringen står i kö…',
    running: (done, total) => `Avregistrerar… ${done} av ${total} klara`,
    progressLabel: 'Avregistreringens förlopp',
    completed: { one: '{n} domän avregistrerad. Kapaciteten är fri nu.', other: '{n} domäner avregistrerade. Kapaciteten är fri nu.' },
    completedWithFailures: {
      one: '{n} kontakt kunde inte uppdateras i HubSpot (borttagen eller sammanslagen); dess domän är avregistrerad ändå.',
      other: '{n} kontakter kunde inte uppdateras i HubSpot (borttagna eller sammanslagna); deras domäner är avregistrerade ändå.',
    },
    failed: (error) => `Avregistreringen avbröts: ${error}`,
    skipped: {
      one: '{n} av de markerade domänerna var redan avregistrerad eller finns inte längre.',
      other: '{n} av de markerade domänerna var redan avregistrerade eller finns inte längre.',
    },
    undo: 'Ångra',
    undoUntil: (time) => `Du kan ångra detta till ${time}.`,
    undone: { one: '{n} domän registrerad igen.', other: '{n} domäner registrerade igen.' },
    notUndone: (n) => `${n} kunde inte registreras igen:`,
    dismiss: 'Stäng',
  },

  recentJobs: {
    heading: 'Senaste avregistreringar',
    undoableHeading: 'Avregistreringar du kan ångra',
    started: 'Startad',
    domains: 'Domäner',
    by: 'Av',
    state: 'Status',
    status: { queued: 'I kö', running: 'Pågår', completed: 'Klar', failed: 'Avbruten' },
    undoneAt: (time) => `Ångrad ${time}`,
    undoLabel: (domains, until) => `Ångra avregistreringen av ${domains} (möjligt till ${until})`,
    undoJob: (id) => `Ångra jobb ${id}`,
    empty: 'Inga avregistreringar ännu.',
  },

  audit: {
    caption: 'Händelselogg',
    when: 'När',
    what: 'Vad',
    who: 'Vem',
    domain: 'Domän',
    details: 'Detaljer',
    newer: 'Nyare',
    older: 'Äldre',
    empty: 'Inget har hänt i den här portalen ännu.',
    emptyFiltered: 'Inga händelser matchar filtren.',
    actions: {
      registration_created: 'Registrerad',
      registration_refused: 'Registrering nekad',
      registration_deregistered: 'Avregistrerad',
      portal_created: 'Portal skapad',
      portal_tier_changed: 'Nivå ändrad',
      portal_limit_changed: 'Gräns ändrad',
      portal_settings_changed: 'Inställningar ändrade',
      portal_admin_set: 'Administratör utsedd',
      portal_role_granted: 'Får avregistrera och ändra inställningar',
      portal_role_revoked: 'Får inte längre avregistrera och ändra inställningar',
      registration_renewed: 'Förnyad',
      expiry_reminder_sent: 'Påminnelse om utgång',
      waitlist_joined: 'Ställde sig i kön',
      waitlist_left: 'Lämnade kön',
      waitlist_assigned: 'Registrerad från kön',
      waitlist_skipped: 'Hoppades över i kön',
      conflict_resolved: 'Konflikt löst',
      deregistration_job_retried: 'Avregistreringsjobb körs igen',
    },
    renewedUntil: (expiresAt, before) => `går nu ut ${expiresAt} (tidigare ${before})`,
    passedOver: (times) => `behåller sin plats i kön (överhoppad ${times === 1 ? 'en gång' : `${times} gånger`})`,
    job: (id) => `jobb ${id}`,
    reregisteredByUndo: (id) => `registrerad igen genom att jobb ${id} ångrades`,
    notReregisteredByUndo: (id) => `inte registrerad igen när jobb ${id} ångrades`,
    on: 'på',
    off: 'av',
    tierLimit: 'nivåns gräns',
    settingNames: { autoRegisterNewContacts: 'Registrera varje ny kontakt', tier: 'Nivå', limitOverride: 'Gräns' },
    filters: {
      label: 'Filtrera händelseloggen',
      action: 'Händelse',
      anyAction: 'Alla händelser',
      actor: 'Vem',
      actorPlaceholder: 'Namn eller e-post',
      from: 'Från',
      to: 'Till och med',
      clear: 'Rensa filter',
    },
    exportHint: 'Laddar ner alla händelser som matchar filtren.',
    refusals: {
      NO_WEBSITE: 'ingen webbplats',
      INVALID_WEBSITE: 'webbplatsen kan inte användas',
      FREE_MAIL_DOMAIN: 'en e-postleverantörs domän: använd företagets webbplats',
      ALREADY_REGISTERED: 'redan registrerad',
      CAPACITY_FULL: 'kapaciteten är full',
      PORTAL_NOT_FOUND: 'appen är inte installerad',
      DOMAIN_HELD: 'innehas av en annan partner',
    },
  },
  settings: {
    autoRegister: 'Registrera varje ny kontakt som har en webbplats',
    autoRegisterHint:
      'När en kontakt med webbplats skapas i HubSpot registreras dess domän automatiskt, inom din kapacitet. Kontakter markerade "Register as partner lead" registreras i vilket fall som helst.',
    saved: 'Sparat.',
    preview: {
      heading: (days) => `Vad regeln skulle ha gjort de senaste ${days} dagarna`,
      contacts: { one: '{n} ny kontakt hade en webbplats.', other: '{n} nya kontakter hade en webbplats.' },
      wouldRegister: { one: '{n} domän skulle ha registrerats.', other: '{n} domäner skulle ha registrerats.' },
      refusedForCapacity: { one: '{n} skulle ha nekats eftersom din kapacitet var full.', other: '{n} skulle ha nekats eftersom din kapacitet var full.' },
      alreadyRegistered: { one: '{n} var redan registrerad.', other: '{n} var redan registrerade.' },
      notRegistrable: { one: '{n} hade ingen domän som kan registreras.', other: '{n} hade ingen domän som kan registreras.' },
      remaining: (after, now) => `Det skulle lämna ${after} av de ${now} domäner du har lediga nu.`,
      warning:
        'Den här regeln kan fylla din kapacitet: den registrerar varje ny kontakt med webbplats tills gränsen är nådd, och därefter nekas alla registreringar — även från kortet — tills du avregistrerar domäner.',
      confirm: 'Ja, slå på',
      cancel: 'Avbryt',
    },
  },
  channels: {
    card: 'kortet Lead Registration',
    automatic: 'automatisk regel',
    operator: 'operatör',
    capacity_manager: 'Kapacitetshanteraren',
    api: 'API',
    waitlist: 'kön',
    expiry: 'anspråkets utgång',
    conflict_resolution: 'konfliktlösning',
  },

  signIn: {
    heading: 'Logga in i Kapacitetshanteraren',
    intro: 'Öppna Kapacitetshanteraren från kortet Lead Registration på en kontakt i HubSpot (Hantera din kapacitet), eller logga in med ditt HubSpot-konto.',
    withHubSpot: 'Logga in med HubSpot',
    demo: 'Öppna demoportalen',
    demoHint: 'Demoläge: utforska Kapacitetshanteraren med demoportalen, inget HubSpot-konto behövs.',
    'link-used': 'Den länken är redan använd. Länkar från kortet fungerar en gång: välj Hantera din kapacitet på kortet igen.',
    'link-expired': 'Den länken har gått ut. Välj Hantera din kapacitet på kortet igen för en ny.',
    'link-invalid': 'Den länken är inte giltig. Välj Hantera din kapacitet på kortet igen.',
  },

  errors: {
    generic: 'Något gick fel. Försök igen.',
    network: 'Partner Capacity gick inte att nå. Kontrollera anslutningen och försök igen.',
    server: 'Partner Capacity svarade inte som väntat. Försök igen om en stund.',
    retry: 'Försök igen',
  },
};

export const MESSAGES: Record<Locale, Messages> = { en, sv };

export interface I18n {
  locale: Locale;
  t: Messages;
  number(value: number): string;
  /** Date and time, as the card shows them. */
  dateTime(iso: string): string;
  time(iso: string): string;
  /** The date alone, medium length ("21 Aug 2026"). */
  date(iso: string): string;
  /** The plural form for the count, with `{n}` (and any other `{name}` given) filled in. */
  counted(count: number, forms: PluralForms, values?: Record<string, string>): string;
  /** The share of the limit in use, whole and rounded down, in the language's style ("85%", "85 %"). */
  percent(used: number, limit: number): string;
  /** How long ago, in the largest whole unit: "3 months ago", "för 3 månader sedan", "yesterday". */
  age(iso: string, now?: number): string;
}

const AGE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function createI18n(locale: Locale): I18n {
  const format = localeFormat(locale);
  const tag = FORMAT_TAGS[locale];
  const times = new Intl.DateTimeFormat(tag, { timeStyle: 'short' });
  const dates = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const percents = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const ages = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  return {
    locale,
    t: MESSAGES[locale],
    number: format.number,
    dateTime: format.dateTime,
    time: (iso) => times.format(new Date(iso)),
    date: (iso) => dates.format(new Date(iso)),
    counted: (count, forms, values = {}) =>
      Object.entries({ n: format.number(count), ...values }).reduce((sentence, [name, value]) => sentence.replaceAll(`{${name}}`, value), format.plural(count, forms)),
    // Rounded down: "90 %" only once 90 % is reached, as the alert levels are.
    percent: (used, limit) => percents.format(limit === 0 ? 1 : Math.floor((used / limit) * 100) / 100),
    age: (iso, now = Date.now()) => {
      const elapsed = Math.max(0, now - Date.parse(iso));
      const [unit, size] = AGE_UNITS.find(([, length]) => elapsed >= length) ?? ['second', 1000];
      return ages.format(-Math.floor(elapsed / size), unit);
    },
  };
}

export const I18nContext = createContext<I18n>(createI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
