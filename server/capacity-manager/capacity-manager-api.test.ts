// The Capacity Manager's API over HTTP with a real session: the list (search, sort, pages),
// the CSV export (all pages, streamed, in the list's order), the audit trail, the capacity with
// its alert, and what protects sessions (signature, sign-out everywhere, CSRF).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/client.js';
import { registerContact } from '../registrations/register-contact.js';
import type { RegistrationPage } from '../registrations/find-registrations.js';
import type { RunningServer } from '../start-server.js';
import { createTestPortal, testDatabase } from '../../test/support/database.js';
import { startTestServer } from '../../test/support/server.js';
import type { AuditEventPageAnswer as AuditEventPage } from './capacity-manager-contract.js';
import { SESSION_COOKIE } from './session.js';
import { signInThroughCardLink, type TestSession } from './testing/sign-in.js';

let db: Database;
let server: RunningServer;
let portalId: number;
let session: TestSession;

const PEOPLE = [
  { website: 'https://alfa-analytics.se', firstName: 'Åsa', lastName: 'Berg', company: 'Alfa Analytics', country: 'Sweden' },
  { website: 'https://beta-foods.de', firstName: 'Jürgen', lastName: 'Müller', company: 'Beta Foods', country: 'Germany' },
  { website: 'https://gamma-labs.co.uk', firstName: 'Chloe', lastName: 'Adams', company: 'Gamma Labs', country: 'United Kingdom' },
  { website: 'https://delta-energy.fi', firstName: 'Ilkka', lastName: 'Virtanen', company: 'Delta Energy', country: 'Finland' },
  { website: 'https://epsilon-nordic.no', firstName: 'Nora', lastName: 'Dahl', company: '=HYPERLINK("https://evil.example")', country: 'Norway' },
];

beforeAll(async () => {
  db = testDatabase(4);
  server = await startTestServer();
  portalId = await createTestPortal(db, { tier: 'silver' });
  for (const [index, person] of PEOPLE.entries()) {
    await registerContact(db, { portalId, contact: { contactId: `p-${index}`, ...person }, registeredBy: 'ann@agency.example', channel: 'card' });
  }
  session = await signInThroughCardLink(server.url, { portalId, userId: '42', userEmail: 'ann@agency.example' });
});

afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
});

async function list(query: string): Promise<RegistrationPage> {
  const answer = await session.fetch(`/api/registrations?${query}`);
  expect(answer.status).toBe(200);
  return (await answer.json()) as RegistrationPage;
}

describe('registered domains', () => {
  test('search by domain, company, contact name or country, case- and accent-insensitive', async () => {
    expect((await list('search=gamma-labs')).items.map((item) => item.domain)).toEqual(['gamma-labs.co.uk']);
    expect((await list('search=beta%20foods')).items.map((item) => item.domain)).toEqual(['beta-foods.de']);
    expect((await list('search=asa%20berg')).items.map((item) => item.contactName)).toEqual(['Åsa Berg']);
    expect((await list('search=FINLAND')).items.map((item) => item.country)).toEqual(['Finland']);
  });

  test('sorts by each column, both ways', async () => {
    expect((await list('sortBy=domain&sortDirection=asc')).items.map((item) => item.domain)).toEqual([
      'alfa-analytics.se',
      'beta-foods.de',
      'delta-energy.fi',
      'epsilon-nordic.no',
      'gamma-labs.co.uk',
    ]);
    expect((await list('sortBy=country&sortDirection=desc')).items.map((item) => item.country)).toEqual(['United Kingdom', 'Sweden', 'Norway', 'Germany', 'Finland']);
    // The session speaks English: Å sorts with A.
    expect((await list('sortBy=contactName&sortDirection=asc')).items[0]!.contactName).toBe('Åsa Berg');
    expect((await list('sortBy=companyName&sortDirection=asc')).items[0]!.companyName).toBe('=HYPERLINK("https://evil.example")');
    expect((await list('sortBy=registeredAt&sortDirection=asc')).items[0]!.domain).toBe('alfa-analytics.se');
  });

  test('pages of the chosen size, up to 100', async () => {
    const second = await list('sortBy=domain&sortDirection=asc&page=2&pageSize=2');
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2, pageCount: 3 });
    expect(second.items.map((item) => item.domain)).toEqual(['delta-energy.fi', 'epsilon-nordic.no']);
    const tooBig = await session.fetch('/api/registrations?pageSize=101');
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as { code: string }).code).toBe('INVALID_REQUEST');
  });

  test('the capacity with its alert level', async () => {
    const capacity = await (await session.fetch('/api/capacity')).json();
    expect(capacity).toMatchObject({ tier: 'silver', used: 5, limit: 500, remaining: 495, alertLevel: null });
  });
});

describe('CSV export', () => {
  test('every row of the search, all pages, in the list order, formulas escaped', async () => {
    const big = await createTestPortal(db, { tier: 'diamond', limitOverride: 5000, used: 2100 });
    const bigSession = await signInThroughCardLink(server.url, { portalId: big, userId: '7', userEmail: null });
    const answer = await bigSession.fetch('/api/registrations/export.csv?sortBy=domain&sortDirection=desc');
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="registrations-\d+-active-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await answer.text()).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Domain,Company,Contact name,Country,Registered at,Registered by,Channel,Expires at,Renewals,Status,Deregistered at,Deregistered by,Deregistration job,HubSpot contact id,Website at registration',
    );
    expect(lines).toHaveLength(2101);
    const firstPage = await bigSession.fetch('/api/registrations?sortBy=domain&sortDirection=desc&pageSize=100');
    const domains = ((await firstPage.json()) as RegistrationPage).items.map((item) => item.domain);
    expect(lines.slice(1, 101).map((line) => line.split(',')[0])).toEqual(domains);

    const filtered = (await (await session.fetch('/api/registrations/export.csv?search=nordic')).text()).trimEnd().split('\n');
    expect(filtered).toHaveLength(2);
    // A company name that is a spreadsheet formula is exported as text.
    expect(filtered[1]).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
  });
});

describe('audit trail', () => {
  test('newest first, in pages', async () => {
    const first = (await (await session.fetch('/api/audit-events?pageSize=2')).json()) as AuditEventPage;
    expect(first.items.map((event) => [event.action, event.domain])).toEqual([
      ['registration_created', 'epsilon-nordic.no'],
      ['registration_created', 'delta-energy.fi'],
    ]);
    expect(first.hasNextPage).toBe(true);
    const last = (await (await session.fetch('/api/audit-events?pageSize=5&page=2')).json()) as AuditEventPage;
    expect(last.items.map((event) => event.action)).toEqual(['portal_created']);
    expect(last.hasNextPage).toBe(false);
  });
});

describe('the page', () => {
  test('is served with a strict Content-Security-Policy, never framed', async () => {
    for (const path of ['/', '/history', '/audit', '/settings']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('sessions', () => {
  test('without a session the API says how to sign in', async () => {
    const answer = await fetch(`${server.url}/api/registrations`);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ code: 'SIGN_IN_REQUIRED', signIn: { hubspot: '/oauth/sign-in?returnTo=/', demo: false } });
  });

  test('a cookie whose payload was changed to another portal is refused', async () => {
    const other = await createTestPortal(db);
    const [payload, signature] = session.cookie.slice(`${SESSION_COOKIE}=`.length).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), p: other })).toString('base64url');
    const answer = await fetch(`${server.url}/api/registrations`, { headers: { cookie: `${SESSION_COOKIE}=${forged}.${signature}` } });
    expect(answer.status).toBe(401);
  });

  test('signing out on one server process ends the session on every process', async () => {
    const second = await startTestServer();
    try {
      const own = await signInThroughCardLink(server.url, { portalId, userId: '43', userEmail: 'bo@agency.example' });
      expect((await fetch(`${second.url}/api/capacity`, { headers: { cookie: own.cookie } })).status).toBe(200);
      expect((await own.fetch('/api/sign-out', { method: 'POST', body: {} })).status).toBe(204);
      expect((await fetch(`${second.url}/api/capacity`, { headers: { cookie: own.cookie } })).status).toBe(401);
      expect((await own.fetch('/api/capacity')).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  test('a change without the CSRF token, or from another site, is refused before anything happens', async () => {
    const body = JSON.stringify({ selection: { kind: 'search', search: '' } });
    const withoutToken = await fetch(`${server.url}/api/deregistrations`, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/json' }, body });
    expect(withoutToken.status).toBe(403);
    expect(((await withoutToken.json()) as { code: string }).code).toBe('CSRF_TOKEN_INVALID');
    const crossSite = await session.fetch('/api/deregistrations', {
      method: 'POST',
      body: { selection: { kind: 'search', search: '' } },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { code: string }).code).toBe('CROSS_SITE_REQUEST');
    expect(await db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(5);
  });

  test('text PostgreSQL cannot store (U+0000, half a surrogate pair) is refused with a 400 that says so, and changes nothing', async () => {
    const searched = await session.fetch('/api/registrations?search=gamma%00labs');
    expect(searched.status).toBe(400);
    expect(await searched.json()).toMatchObject({ code: 'UNSTORABLE_TEXT', detail: expect.stringContaining('query string') });
    for (const search of ['gamma\u0000labs', 'gamma\udc00labs']) {
      const answer = await session.fetch('/api/deregistrations', { method: 'POST', body: { selection: { kind: 'search', search } } });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'UNSTORABLE_TEXT', detail: expect.stringContaining('body') });
    }
    expect(await db.registration.count({ where: { portalId: BigInt(portalId), status: 'active' } })).toBe(5);
  });
});
