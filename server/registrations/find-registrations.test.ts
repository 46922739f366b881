import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { deregisterRegistrations } from './deregister-registrations.js';
import { findRegistrations, findRegistrationsQuery, REGISTRATION_SORT_FIELDS } from './find-registrations.js';
import { registerContact } from './register-contact.js';

const db = testDatabase();
afterAll(() => db.$disconnect());

const PEOPLE = [
  { website: 'angstrom.se', company: 'Ångström AB', firstName: 'Åsa', lastName: 'Öberg', country: 'Sweden' },
  { website: 'muller.de', company: 'Müller GmbH', firstName: 'Jürgen', lastName: 'Müller', country: 'Germany' },
  { website: 'acme.com', company: 'Acme Inc', firstName: 'Road', lastName: 'Runner', country: 'United States' },
  { website: 'beta.co.uk', company: 'beta ltd', firstName: 'Ada', lastName: 'Lovelace', country: 'United Kingdom' },
  { website: 'percent.io', company: '100% Pure_Co', firstName: 'Zoë', lastName: 'Zed', country: null },
  { website: 'noname.org', company: null, firstName: null, lastName: null, country: 'France' },
];

let portalId: number;
let otherPortalId: number;
const idsByDomain = new Map<string, string>();

beforeAll(async () => {
  portalId = await createTestPortal(db);
  otherPortalId = await createTestPortal(db);
  for (const [index, person] of PEOPLE.entries()) {
    const result = await registerContact(db, {
      portalId,
      contact: { contactId: String(index + 1), ...person },
      registeredBy: 'jane@agency.example',
      channel: 'card',
    });
    if (!result.ok) throw new Error(result.refusal.message);
    idsByDomain.set(result.registration.domain, result.registration.id);
  }
  // Same company in another portal: must never show up.
  await registerContact(db, { portalId: otherPortalId, contact: { contactId: '1', website: 'acme-other.com', company: 'Acme Inc' }, registeredBy: 'x', channel: 'card' });
  await deregisterRegistrations(db, { portalId, registrationIds: [idsByDomain.get('noname.org')!], deregisteredBy: 'jane@agency.example' });
});

async function domains(input: Omit<Parameters<typeof findRegistrations>[1], 'portalId'>) {
  const page = await findRegistrations(db, { portalId, ...input });
  return page.items.map((registration) => registration.domain);
}

describe('findRegistrations', () => {
  it('lists active registrations, newest first, with the total', async () => {
    const page = await findRegistrations(db, { portalId });
    expect(page.total).toBe(5);
    expect(page.items.map((item) => item.domain)).toEqual(['percent.io', 'beta.co.uk', 'acme.com', 'muller.de', 'angstrom.se']);
    expect(page).toMatchObject({ page: 1, pageSize: 100, pageCount: 1 });
  });

  it.each([
    ['domain', 'muller', ['muller.de']],
    ['company', 'acme inc', ['acme.com']],
    ['contact name', 'lovelace', ['beta.co.uk']],
    ['country', 'united', ['beta.co.uk', 'acme.com']],
    ['company without its accents', 'angstrom ab', ['angstrom.se']],
    ['contact name in capitals with accents', 'ÖBERG', ['angstrom.se']],
    ['accented term against accented text', 'müller gmbh', ['muller.de']],
    ['a LIKE wildcard, taken literally', '100%', ['percent.io']],
    ['an underscore, taken literally', 'e_c', ['percent.io']],
    ['nothing that matches', 'zzz-nothing', []],
  ])('searches by %s (%s)', async (_what, search, expected) => {
    expect(await domains({ search })).toEqual(expected);
  });

  it('sorts by each column, both ways, case-insensitively, in the language of the session', async () => {
    expect(await domains({ sortBy: 'domain', sortDirection: 'asc' })).toEqual(['acme.com', 'angstrom.se', 'beta.co.uk', 'muller.de', 'percent.io']);
    // English: Å sorts with A. Swedish: Å, Ä, Ö come after Z.
    expect(await domains({ sortBy: 'companyName', sortDirection: 'asc' })).toEqual(['percent.io', 'acme.com', 'angstrom.se', 'beta.co.uk', 'muller.de']);
    expect(await domains({ sortBy: 'companyName', sortDirection: 'asc', locale: 'sv' })).toEqual(['percent.io', 'acme.com', 'beta.co.uk', 'muller.de', 'angstrom.se']);
    expect(await domains({ sortBy: 'contactName', sortDirection: 'desc' })).toEqual(['percent.io', 'acme.com', 'muller.de', 'angstrom.se', 'beta.co.uk']);
    expect(await domains({ sortBy: 'contactName', sortDirection: 'desc', locale: 'sv' })).toEqual(['angstrom.se', 'percent.io', 'acme.com', 'muller.de', 'beta.co.uk']);
    // A missing country sorts as empty text: first going up.
    expect(await domains({ sortBy: 'country', sortDirection: 'asc' })).toEqual(['percent.io', 'muller.de', 'angstrom.se', 'beta.co.uk', 'acme.com']);
    expect(await domains({ sortBy: 'registeredAt', sortDirection: 'asc' })).toEqual(['angstrom.se', 'muller.de', 'acme.com', 'beta.co.uk', 'percent.io']);
    for (const sortBy of REGISTRATION_SORT_FIELDS) {
      const ascending = await domains({ sortBy, sortDirection: 'asc' });
      expect(await domains({ sortBy, sortDirection: 'desc' })).toEqual([...ascending].reverse());
    }
  });

  it('pages without overlap or gaps, and keeps the total past the last page', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => findRegistrations(db, { portalId, sortBy: 'domain', page, pageSize: 2 })));
    expect(pages.map((page) => page.items.map((item) => item.domain))).toEqual([['acme.com', 'angstrom.se'], ['beta.co.uk', 'muller.de'], ['percent.io']]);
    expect(pages.every((page) => page.total === 5 && page.pageCount === 3)).toBe(true);
    const beyond = await findRegistrations(db, { portalId, page: 9, pageSize: 2 });
    expect(beyond).toMatchObject({ items: [], total: 5, pageCount: 3 });
  });

  it('shows deregistered registrations, or both', async () => {
    expect(await domains({ status: 'deregistered' })).toEqual(['noname.org']);
    const all = await findRegistrations(db, { portalId, status: 'all' });
    expect(all.total).toBe(6);
    const deregistered = all.items.find((item) => item.domain === 'noname.org');
    expect(deregistered).toMatchObject({ status: 'deregistered', deregisteredBy: 'jane@agency.example' });
  });

  it.each([
    ['its domain', 'noname', ['noname.org']],
    ['a part of a word', 'ranc', ['noname.org']],
    ['two letters (too short for the substring index)', 'fr', ['noname.org']],
    ['its country in Swedish', 'frankrike', ['noname.org']],
    ['letters it holds, not in that order', 'ecnarf', []],
  ])('searches the history by %s (%s)', async (_what, search, expected) => {
    expect(await domains({ search, status: 'deregistered' })).toEqual(expected);
    expect((await domains({ search, status: 'all' })).filter((domain) => domain === 'noname.org')).toEqual(expected);
  });

  it("never returns another portal's registrations", async () => {
    expect(await domains({ search: 'acme', status: 'all' })).toEqual(['acme.com']);
    const theirs = await findRegistrations(db, { portalId: otherPortalId, status: 'all' });
    expect(theirs.items.map((item) => item.domain)).toEqual(['acme-other.com']);
  });

  it.each([
    [{ pageSize: 0 }, /pageSize must be a whole number from 1 to 100/],
    [{ pageSize: 101 }, /pageSize must be a whole number from 1 to 100/],
    [{ page: 0 }, /page must be a whole number from 1/],
  ])('refuses a page outside the bounds (%j)', async (input, message) => {
    await expect(findRegistrations(db, { portalId, ...input })).rejects.toThrow(message);
  });
});

describe('registrations with long names in scripts of several bytes a character', () => {
  // A sort index row holds a name twice and the search text, which holds it again: 300 CJK
  // characters (900 bytes) made a row too big for a B-tree, and the registration failed. Such
  // rows live in the long-row index only, and every view finds and sorts them with the others.
  const cjk = (length: number, from: number) => Array.from({ length }, (_, index) => String.fromCodePoint(0x4e00 + ((from + index * 7919) % 20000))).join('');
  // Mathematical bold letters: 4 bytes each, folded to plain ASCII in the search text.
  const bold = (text: string) => [...text].map((letter) => String.fromCodePoint(0x1d41a + letter.charCodeAt(0) - 97)).join('');
  const WIDE = [
    { website: 'wide-cjk.cn', company: `${cjk(300, 1)}有限公司`, lastName: cjk(200, 5) },
    { website: 'wide-bold.com', company: bold('zebra'.repeat(100)), lastName: 'Bold' },
    { website: 'narrow.com', company: 'Narrow AB', lastName: 'Plain' },
  ];
  let widePortal: number;

  beforeAll(async () => {
    widePortal = await createTestPortal(db);
    for (const [index, person] of WIDE.entries()) {
      const result = await registerContact(db, { portalId: widePortal, contact: { contactId: `wide-${index}`, ...person }, registeredBy: 'jane@agency.example', channel: 'card' });
      expect(result, person.website).toMatchObject({ ok: true });
    }
  });

  const listed = async (input: Omit<Parameters<typeof findRegistrations>[1], 'portalId'>) =>
    (await findRegistrations(db, { portalId: widePortal, ...input })).items.map((item) => item.domain);

  it('are registered, found by search and sorted with the rest', async () => {
    expect(await listed({ search: '有限公司' })).toEqual(['wide-cjk.cn']);
    expect(await listed({ search: 'zebrazebra' })).toEqual(['wide-bold.com']);
    expect(await listed({ sortBy: 'companyName', sortDirection: 'asc' })).toEqual(['narrow.com', 'wide-bold.com', 'wide-cjk.cn']);
    expect(await listed({ sortBy: 'domain', sortDirection: 'desc' })).toEqual(['wide-cjk.cn', 'wide-bold.com', 'narrow.com']);
  });

  it('are found in the history and the export once deregistered', async () => {
    const [wide] = (await findRegistrations(db, { portalId: widePortal, search: 'zebra' })).items;
    await deregisterRegistrations(db, { portalId: widePortal, registrationIds: [wide!.id], deregisteredBy: 'jane@agency.example' });
    expect(await listed({ status: 'deregistered', search: 'zebrazebra' })).toEqual(['wide-bold.com']);
    expect(await listed({ status: 'all', sortBy: 'companyName', sortDirection: 'desc' })).toEqual(['wide-cjk.cn', 'wide-bold.com', 'narrow.com']);
    const exported = await db.pool.query<{ domain: string }>(toPg(findRegistrationsQuery({ portalId: widePortal, status: 'all', sortBy: 'domain', sortDirection: 'asc' })));
    expect(exported.rows.map((row) => row.domain)).toEqual(['narrow.com', 'wide-bold.com', 'wide-cjk.cn']);
  });
});

const toPg = (sql: { text: string; values: unknown[] }) => ({ text: sql.text, values: sql.values });
