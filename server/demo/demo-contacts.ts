// Demo contacts: a few hundred believable prospects, the same on every machine (seeded PRNG),
// with accents, several countries, shared company domains and a few unusable websites, so the
// demo shows search, sort, paging and every refusal.

export interface DemoContact {
  contactId: string;
  email: string;
  firstName: string;
  lastName: string;
  company: string;
  website: string | null;
  country: string;
}

const FIRST_NAMES = [
  'Åsa',
  'Björn',
  'Chloé',
  'Diego',
  'Elif',
  'Farah',
  'Gustav',
  'Hanna',
  'Ingrid',
  'Jürgen',
  'Kofi',
  'Lena',
  'Mateo',
  'Noor',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomás',
  'Ulla',
  'Viktor',
  'Wen',
  'Yara',
  'Zoë',
];
const LAST_NAMES = [
  'Andersson',
  'Berg',
  'Castillo',
  'Dubois',
  'Eriksson',
  'Fischer',
  'García',
  'Håkansson',
  'Ivanova',
  'Johansson',
  'Kowalski',
  'Lindqvist',
  'Müller',
  'Nakamura',
  'Öberg',
  'Patel',
  'Quinn',
  'Rossi',
  'Svensson',
  'Tanaka',
  'Ulriksen',
  'Virtanen',
  'Wójcik',
  'Young',
  'Zapata',
];
const WORDS = [
  'Nordic',
  'Blue',
  'Arctic',
  'Summit',
  'Harbor',
  'Pine',
  'Copper',
  'Falcon',
  'Granite',
  'Maple',
  'Orbit',
  'Pioneer',
  'Quartz',
  'River',
  'Solar',
  'Tundra',
  'Vertex',
  'Willow',
  'Zenith',
  'Ember',
];
const KINDS = ['Analytics', 'Logistics', 'Foods', 'Studio', 'Robotics', 'Health', 'Energy', 'Ventures', 'Labs', 'Systems'];
const COUNTRIES: Array<[country: string, suffix: string, companyForm: string]> = [
  ['Sweden', 'se', 'AB'],
  ['Germany', 'de', 'GmbH'],
  ['United Kingdom', 'co.uk', 'Ltd'],
  ['United States', 'com', 'Inc'],
  ['France', 'fr', 'SAS'],
  ['Finland', 'fi', 'Oy'],
  ['Spain', 'es', 'S.L.'],
  ['Australia', 'com.au', 'Pty Ltd'],
  ['Japan', 'co.jp', 'K.K.'],
  ['Norway', 'no', 'AS'],
];

/** Mulberry32: a tiny deterministic PRNG, so the demo is the same everywhere. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export function demoContacts(count = 300, seed = 20181127): DemoContact[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const contacts: DemoContact[] = [];
  for (let index = 1; index <= count; index += 1) {
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const [country, suffix, form] = pick(COUNTRIES);
    const brand = `${pick(WORDS)} ${pick(KINDS)}`;
    const domain = `${slug(brand)}.${suffix}`;
    const roll = random();
    // Most prospects have a clean website; some are decorated the way people type them; a few
    // have none or an unusable one, to show the refusals.
    const website = roll < 0.04 ? null : roll < 0.06 ? 'http://10.0.0.12' : roll < 0.35 ? `https://www.${domain}/about` : roll < 0.5 ? domain.toUpperCase() : `https://${domain}`;
    contacts.push({
      contactId: String(100_000 + index),
      email: `${slug(firstName)}.${slug(lastName)}@${domain}`,
      firstName,
      lastName,
      company: `${brand} ${form}`,
      website,
      country,
    });
  }
  return contacts;
}
