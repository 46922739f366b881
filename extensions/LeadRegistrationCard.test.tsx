// The Lead Registration card in every state, rendered with HubSpot's test renderer against the
// real server: hubspot.fetch goes through an emulation of HubSpot's proxy that adds the caller
// and signs each request (v3) exactly as HubSpot would, so the card, the signature check and
// the backend answer together. Nothing is mocked but HubSpot's transport.
import { Alert, Button, DescriptionListItem, ErrorState, Link, LoadingButton, LoadingSpinner, ProgressBar, Tag } from '@hubspot/ui-extensions';
import { createRenderer, type RenderedNode } from '@hubspot/ui-extensions/testing';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Database } from '../server/db/client.js';
import { registerContact } from '../server/registrations/register-contact.js';
import type { RunningServer } from '../server/start-server.js';
import { createTestPortal, testDatabase } from '../test/support/database.js';
import { joinWaitlist } from '../server/waitlist/join-waitlist.js';
import { updateProgramSettings } from '../server/program/program-settings.js';
import { hubspotProcess, installedPortal, startHubSpotRig, TEST_APP_ID, TEST_CLIENT_SECRET, type HubSpotTestRig } from '../test/support/hubspot.js';
import type { HubSpot } from '../server/hubspot/hubspot.js';
import { startTestServer } from '../test/support/server.js';
import { BACKEND_URL } from './src/app/cards/backend.js';
import { LeadRegistrationCard } from './src/app/cards/components/LeadRegistrationCard.js';
import { localeFormat } from './src/app/cards/locale-format.js';
import { emulateHubSpotFetch, type HubSpotFetch } from './testing/hubspot-fetch.js';

declare global {
  // The worker global hubspot.fetch calls (HubSpot's runtime provides it; tests provide this one).
  var hsFetch: HubSpotFetch | undefined;
}

const WAIT = { timeoutInMs: 8000 };

let rig: HubSpotTestRig;
let db: Database;
let server: RunningServer;
let hubspot: HubSpot;
let closeHubSpot: () => Promise<void>;

beforeAll(async () => {
  globalThis.self ??= globalThis as typeof globalThis & Window;
  rig = await startHubSpotRig();
  db = testDatabase(4);
  const process = hubspotProcess(rig, db);
  hubspot = process.hubspot;
  closeHubSpot = process.close;
  server = await startTestServer({ ...rig.env, PUBLIC_URL: BACKEND_URL });
});

afterAll(async () => {
  globalThis.hsFetch = undefined;
  await server?.close();
  await closeHubSpot?.();
  await db?.$disconnect();
  await rig?.stop();
});

// A fault the HubSpot client did not use up (it retries a set number of times) ends with its test.
afterEach(() => rig.fake.faults.clear());

let portalId: number;
beforeEach(async () => {
  portalId = await installedPortal(rig, db, hubspot);
  connectHubSpot({ portalId });
});

/** Points the card's hubspot.fetch at the real server, as HubSpot would for this user. */
function connectHubSpot({ portalId: portal, serverUrl = server.url }: { portalId: number; serverUrl?: string }) {
  globalThis.hsFetch = emulateHubSpotFetch({
    publicUrl: BACKEND_URL,
    serverUrl,
    clientSecret: TEST_CLIENT_SECRET,
    appId: TEST_APP_ID,
    portalId: portal,
    userId: 77,
    userEmail: 'maja@agency.example',
  });
}

function renderCard(contactId: string, { locale = 'en-us', portal = portalId }: { locale?: string; portal?: number } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  const { context } = renderer.mocks;
  context.crm.objectId = Number(contactId);
  context.portal.id = portal;
  context.user.locale = locale;
  renderer.render(<LeadRegistrationCard context={context} />);
  return renderer;
}

/** All the text under a node, as a person reads it (the renderer's `.text` is direct text only). */
function textOf(node: RenderedNode | null): string {
  if (!node) return '';
  if (node.nodeType === 'text') return node.text;
  return node.childNodes.map((child) => textOf(child)).join('');
}

function contact(values: Record<string, string>, portal = portalId) {
  return rig.fake.contacts.seed(portal, [values])[0]!;
}

/** Active registrations written directly: arrangement, not the behaviour under test. */
async function fillCapacity(portal: number, count: number) {
  await db.$executeRaw`
    INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel)
    SELECT ${BigInt(portal)}, 'filled-' || n || '.se', 'https://filled-' || n || '.se', 'seed-' || n, 'filled-' || n || '.se', 'test', 'operator'
    FROM generate_series(1, ${count}::int) AS n`;
}

describe('loading and failures', () => {
  test('shows a spinner while the backend answers', () => {
    const { find } = renderCard(contact({ website: 'https://spinner.se' }).id);
    expect(find(LoadingSpinner).props.label).toBe('Loading registration…');
  });

  test('backend unreachable: says so and retries on request', async () => {
    const seeded = contact({ website: 'https://retry-later.se' });
    connectHubSpot({ portalId, serverUrl: 'http://127.0.0.1:9' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(card.find(ErrorState).props.title).toBe("Partner Capacity didn't answer"), WAIT);
    await card.waitFor(() => expect(card.find(Button)).toBeTruthy(), WAIT);

    connectHubSpot({ portalId });
    card.find(Button).trigger('onClick');
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Not registered'), WAIT);
  });

  test('HubSpot does not answer the contact read: says so and offers to try again', async () => {
    rig.fake.faults.failNext(20, { status: 503, pathPrefix: '/crm/v3/objects/contacts' });
    const card = renderCard(contact({ website: 'https://hubspot-down.se' }).id);
    await card.waitFor(() => expect(card.find(ErrorState).props.title).toBe("Partner Capacity didn't answer"), WAIT);
    expect(textOf(card.find(ErrorState))).toContain('HubSpot did not answer when we read this contact. Try again in a moment.');
  });

  test('an answer that does not fit the contract is a failure, never a half card', async () => {
    // What HubSpot's local dev proxy hands back for a backend error: a 200 wrapping it.
    const proxyError = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', category: 'BAD_GATEWAY', message: 'Error returned from Request Uri', context: { appServerStatusCode: ['500'] } }));
    }).listen(0, '127.0.0.1');
    await once(proxyError, 'listening');
    try {
      connectHubSpot({ portalId, serverUrl: `http://127.0.0.1:${(proxyError.address() as { port: number }).port}` });
      const card = renderCard(contact({ website: 'https://wrapped-error.se' }).id);
      await card.waitFor(() => expect(card.find(ErrorState).props.title).toBe("Partner Capacity didn't answer"), WAIT);
      expect(card.maybeFind(LoadingButton)).toBeNull();
    } finally {
      await new Promise((resolve) => (proxyError as Server).close(resolve));
    }
  });

  test('a contact HubSpot no longer has: says so instead of offering Register', async () => {
    const card = renderCard('999999999');
    await card.waitFor(() => expect(card.find(Alert).props.title).toBe('Contact not found'), WAIT);
    expect(textOf(card.find(Alert))).toBe('HubSpot does not have this contact any more (deleted or merged). Reload the record.');
    expect(card.maybeFind(LoadingButton)).toBeNull();
  });

  test('disconnected between opening the card and clicking Register: the click shows the reinstall link', async () => {
    const card = renderCard(contact({ website: 'https://late-disconnect.se' }).id);
    await card.waitFor(() => expect(card.find(LoadingButton).props.disabled).toBe(false), WAIT);
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { installState: 'disconnected' } });
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(card.find(Alert).props.title).toBe('Partner Capacity is not connected'), WAIT);
    expect(await db.registration.count({ where: { portalId: BigInt(portalId), domain: 'late-disconnect.se' } })).toBe(0);
  });

  test('Register while HubSpot does not answer: the card stays and says to try again', async () => {
    const card = renderCard(contact({ website: 'https://click-in-outage.se' }).id);
    await card.waitFor(() => expect(card.find(LoadingButton).props.disabled).toBe(false), WAIT);
    rig.fake.faults.failNext(20, { status: 503, pathPrefix: '/crm/v3/objects/contacts' });
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(textOf(card.find(Alert))).toBe('HubSpot did not answer when we read this contact. Try again in a moment.'), WAIT);
    expect(textOf(card.find(Tag))).toBe('Not registered');
  });

  test('install disconnected: says a Super Admin must install the app again, with the link', async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { installState: 'disconnected' } });
    const card = renderCard(contact({ website: 'https://disconnected.se' }).id);
    await card.waitFor(() => expect(card.find(Alert).props.title).toBe('Partner Capacity is not connected'), WAIT);
    expect(card.find(Link).props.href).toEqual({ url: `${BACKEND_URL}/oauth/install`, external: true });
  });
});

describe('not registered', () => {
  test('offers Register, with the domain it would claim and the capacity in use', async () => {
    const card = renderCard(contact({ website: 'https://www.offer.se/contact' }).id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Not registered'), WAIT);
    expect(card.find(LoadingButton).props.disabled).toBe(false);
    expect(textOf(card.getRootNode())).toContain('Registering claims offer.se');
    expect(textOf(card.getRootNode())).toContain('0 of 500 domains registered · Gold tier');
    expect(card.find(ProgressBar).props).toMatchObject({ value: 0, maxValue: 500, valueDescription: '0 of 500 domains' });
  });

  test('"Manage your capacity" opens the Capacity Manager on this contact\'s domain', async () => {
    const seeded = contact({ website: 'https://www.manage-me.se/about' });
    await registerContact(db, { portalId, contact: { contactId: seeded.id, website: 'https://www.manage-me.se/about' }, registeredBy: 'maja@agency.example', channel: 'card' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    const manage = card.find(Link, (link) => textOf(link) === 'Manage your capacity');
    const link = new URL((manage.props.href as { url: string }).url);
    expect(`${link.origin}${link.pathname}`).toBe(`${BACKEND_URL}/capacity-manager/open`);
    const opened = await fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(opened.headers.get('location')).toBe('/?search=manage-me.se');
  });

  test("a free-mail or internet provider's domain: Register is disabled up front with the reason", async () => {
    const card = renderCard(contact({ website: 'https://gmail.com' }).id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Not registered'), WAIT);
    expect(card.find(LoadingButton).props.disabled).toBe(true);
    expect(textOf(card.getRootNode())).toContain('gmail.com belongs to a free e-mail or internet provider, not to the company, so it cannot be registered.');
    expect(textOf(card.getRootNode())).not.toContain('Registering claims');
  });

  test('Register is disabled with the reason when the contact has no usable website', async () => {
    const card = renderCard(contact({ firstname: 'No', lastname: 'Site' }).id);
    await card.waitFor(() => expect(card.find(LoadingButton).props.disabled).toBe(true), WAIT);
    expect(textOf(card.getRootNode())).toContain('This contact has no website, so there is no domain to register.');
  });

  test('Register claims the domain and shows the outcome in place', async () => {
    const seeded = contact({ website: 'https://click.se', firstname: 'Klara', lastname: 'Klick', company: 'Click AB' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(card.find(LoadingButton).props.disabled).toBe(false), WAIT);
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(card.find(Alert).props.variant).toBe('success'), WAIT);
    expect(textOf(card.find(Tag))).toBe('Registered');
    expect(textOf(card.find(DescriptionListItem, { label: 'Domain' }))).toBe('click.se');
    expect(textOf(card.find(DescriptionListItem, { label: 'Registered by' }))).toBe('maja@agency.example');
    expect(textOf(card.getRootNode())).toContain('1 of 500 domains registered');
    const rows = await db.registration.findMany({ where: { portalId: BigInt(portalId), contactId: seeded.id } });
    expect(rows.map((row) => [row.domain, row.channel, row.companyName])).toEqual([['click.se', 'card', 'Click AB']]);
  });
});

describe('refused', () => {
  test('at full capacity: Register is disabled up front, with the reason and the link to free capacity', async () => {
    const untiered = await installedPortal(rig, db, hubspot, { tier: 'untiered' });
    await fillCapacity(untiered, 50);
    connectHubSpot({ portalId: untiered });
    const card = renderCard(contact({ website: 'https://one-too-many.se' }, untiered).id, { portal: untiered });
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Not registered'), WAIT);
    expect(card.find(LoadingButton).props.disabled).toBe(true);
    expect(textOf(card.getRootNode())).toContain('Your capacity is full: 50 of 50 domains are registered (Untiered tier).');
    expect(textOf(card.getRootNode())).not.toContain('Registering claims');
    const free = card.find(Link, (link) => textOf(link) === 'Free capacity in the Capacity Manager');
    const link = new URL((free.props.href as { url: string }).url);
    expect(link.pathname).toBe('/capacity-manager/open');
    // Freeing capacity happens in the whole list, not in a search for the unregistered domain.
    const opened = await fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(opened.headers.get('location')).toBe('/');
  });

  test('capacity filled while the card was open: the refusal replaces "Registering claims …" and Register is disabled', async () => {
    const untiered = await installedPortal(rig, db, hubspot, { tier: 'untiered' });
    await fillCapacity(untiered, 49);
    connectHubSpot({ portalId: untiered });
    const card = renderCard(contact({ website: 'https://last-seat.se' }, untiered).id, { portal: untiered });
    await card.waitFor(() => expect(card.find(LoadingButton).props.disabled).toBe(false), WAIT);
    expect(textOf(card.getRootNode())).toContain('Registering claims last-seat.se');
    await db.$executeRaw`INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel) VALUES (${BigInt(untiered)}, 'fiftieth.se', 'https://fiftieth.se', 'x', 'fiftieth.se', 'test', 'operator')`;
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(card.find(Alert, { title: 'Not registered' } as never).props.variant).toBe('danger'), WAIT);
    const refusal = card.find(Alert, { title: 'Not registered' } as never);
    expect(textOf(refusal)).toContain('Your capacity is full: 50 of 50 domains are registered (Untiered tier).');
    expect((refusal.find(Link).props.href as { url: string }).url).toContain('/capacity-manager/open?token=');
    expect(textOf(card.getRootNode())).not.toContain('Registering claims');
    expect(card.find(LoadingButton).props.disabled).toBe(true);
    expect(await db.registration.count({ where: { portalId: BigInt(untiered), domain: 'last-seat.se' } })).toBe(0);
  });

  test('over a lowered limit: says how many over and how many to deregister', async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 100 } });
    await fillCapacity(portalId, 138);
    const card = renderCard(contact({ website: 'https://over-limit.se' }).id);
    await card.waitFor(() => expect(card.find(Alert, { title: 'Capacity' } as never).props.variant).toBe('danger'), WAIT);
    expect(textOf(card.find(Alert, { title: 'Capacity' } as never))).toContain('38 over your limit of 100 — deregister 39 to register again.');
    expect(card.find(LoadingButton).props.disabled).toBe(true);
  });

  test('already registered through another contact: says which one and since when', async () => {
    const first = contact({ website: 'https://shared-domain.se', firstname: 'Ada', lastname: 'Först' });
    const second = contact({ website: 'https://www.shared-domain.se/sv', firstname: 'Bo', lastname: 'Andra' });
    const card = renderCard(second.id);
    await card.waitFor(() => expect(card.find(LoadingButton).props.disabled).toBe(false), WAIT);
    // Meanwhile a colleague registers the same company through the first contact.
    await registerContact(db, {
      portalId,
      contact: { contactId: first.id, website: 'https://shared-domain.se', firstName: 'Ada', lastName: 'Först' },
      registeredBy: 'colleague@agency.example',
      channel: 'card',
    });
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(
      () => expect(textOf(card.find(Alert, { title: 'Not registered' } as never))).toContain('shared-domain.se is already registered through Ada Först, since'),
      WAIT,
    );
    expect(textOf(card.getRootNode())).not.toContain(first.id);
    expect(textOf(card.getRootNode())).toContain('shared-domain.se is registered through another contact, Ada Först, since');
    const record = card.find(Link, (link) => textOf(link) === 'Ada Först');
    expect(record.props.href).toEqual({ url: `https://app.hubspot.com/contacts/${portalId}/record/0-1/${first.id}`, external: true });
  });
});

describe('registered', () => {
  test("an EU-hosted account: the other contact's link goes to HubSpot's EU host", async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { uiDomain: 'app-eu1.hubspot.com' } });
    const first = contact({ website: 'https://eu-shared.de', firstname: 'Eva', lastname: 'Erste' });
    const second = contact({ website: 'https://eu-shared.de/kontakt' });
    await registerContact(db, {
      portalId,
      contact: { contactId: first.id, website: 'https://eu-shared.de', firstName: 'Eva', lastName: 'Erste' },
      registeredBy: 'x@agency.example',
      channel: 'card',
    });
    const card = renderCard(second.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(card.find(Link, (link) => textOf(link) === 'Eva Erste').props.href).toEqual({
      url: `https://app-eu1.hubspot.com/contacts/${portalId}/record/0-1/${first.id}`,
      external: true,
    });
  });

  test('through this contact by a rule: domain, date and which rule', async () => {
    const seeded = contact({ website: 'https://by-rule.se' });
    await registerContact(db, { portalId, contact: { contactId: seeded.id, website: 'https://by-rule.se' }, registeredBy: 'Register as partner lead', channel: 'automatic' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(textOf(card.find(DescriptionListItem, { label: 'Domain' }))).toBe('by-rule.se');
    expect(textOf(card.find(DescriptionListItem, { label: 'Registered by' }))).toBe('Automatic rule (Register as partner lead)');
    // Date and time, formatted exactly as the Capacity Manager page formats them (locale-format.ts).
    const [row] = await db.registration.findMany({ where: { portalId: BigInt(portalId), contactId: seeded.id } });
    expect(textOf(card.find(DescriptionListItem, { label: 'Registered on' }))).toBe(localeFormat('en').dateTime(row!.registeredAt.toISOString()));
    expect(textOf(card.find(DescriptionListItem, { label: 'Registered on' }))).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d$/);
    expect(card.maybeFind(LoadingButton)).toBeNull();
  });

  test('the website now points elsewhere: the note says the registration stays', async () => {
    const seeded = contact({ website: 'https://old-home.se' });
    await registerContact(db, { portalId, contact: { contactId: seeded.id, website: 'https://old-home.se' }, registeredBy: 'maja@agency.example', channel: 'card' });
    rig.fake.contacts.update(portalId, seeded.id, { website: 'https://new-home.se' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(card.find(Alert, { variant: 'info' }).props.title).toBe('Website changed');
    expect(textOf(card.find(Alert, { variant: 'info' }))).toBe(
      "This contact's website now points to new-home.se. The registration stays on old-home.se: a registered domain never changes.",
    );
  });

  test('capacity alerts show on the card at 80, 90 and 100 %', async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 10 } });
    await fillCapacity(portalId, 8);
    const seeded = contact({ website: 'https://alerting.se' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Alert))).toBe('You have used 80% of your capacity.'), WAIT);
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(
      () => expect(textOf(card.find(Alert, { title: 'Capacity' } as never))).toBe('You have used 90% of your capacity: new registrations will soon be refused.'),
      WAIT,
    );
    await db.$executeRaw`INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel) VALUES (${BigInt(portalId)}, 'tenth.se', 'https://tenth.se', 'x', 'tenth.se', 'test', 'operator')`;
    const full = renderCard(contact({ website: 'https://full-now.se' }).id);
    await full.waitFor(() => expect(full.find(Alert, { title: 'Capacity' } as never).props.variant).toBe('danger'), WAIT);
    expect(full.find(ProgressBar).props.variant).toBe('danger');
  });

  test('the alert says the real share in use, not the level', async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 20 } });
    await fillCapacity(portalId, 17);
    const card = renderCard(contact({ website: 'https://eighty-five.se' }).id);
    await card.waitFor(() => expect(textOf(card.find(Alert))).toBe('You have used 85% of your capacity.'), WAIT);
  });

  test('one domain is "1 domain", not "1 domains"', async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 1 } });
    const card = renderCard(contact({ website: 'https://only-one.se' }).id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Not registered'), WAIT);
    expect(textOf(card.getRootNode())).toContain('0 of 1 domain registered');
  });
});

describe('in Swedish', () => {
  test('a HubSpot user with a Swedish locale reads the card in Swedish', async () => {
    const seeded = contact({ website: 'https://svensk.se' });
    const card = renderCard(seeded.id, { locale: 'sv-se' });
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Inte registrerad'), WAIT);
    expect(textOf(card.find(LoadingButton))).toBe('Registrera');
    expect(textOf(card.getRootNode())).toContain('0 av 500 domäner registrerade · Nivå Guld');
    expect(card.find(Link, (link) => textOf(link) === 'Hantera din kapacitet')).toBeTruthy();
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(textOf(card.find(Alert))).toBe('svensk.se är registrerad för ditt partnerkonto.'), WAIT);
    expect(textOf(card.find(DescriptionListItem, { label: 'Domän' }))).toBe('svensk.se');
    expect(textOf(card.find(DescriptionListItem, { label: 'Registrerad' }))).toMatch(/^\d{1,2} \w{3}\. \d{4} \d\d:\d\d$/);
  });

  test('full capacity, over the limit and a free-mail domain, in Swedish', async () => {
    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 100 } });
    await fillCapacity(portalId, 138);
    const card = renderCard(contact({ website: 'https://fullt.se' }).id, { locale: 'sv-se' });
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Inte registrerad'), WAIT);
    expect(card.find(LoadingButton).props.disabled).toBe(true);
    const text = textOf(card.getRootNode());
    expect(text).toContain('Din kapacitet är full: 138 av 100 domäner är registrerade (nivå Guld).');
    expect(text).toContain('38 över din gräns på 100 — avregistrera 39 för att kunna registrera igen.');
    expect(card.find(Link, (link) => textOf(link) === 'Frigör kapacitet i Kapacitetshanteraren')).toBeTruthy();

    await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: 1 } });
    await db.registration.deleteMany({ where: { portalId: BigInt(portalId) } });
    const freeMail = renderCard(contact({ website: 'https://hotmail.com' }).id, { locale: 'sv-se' });
    await freeMail.waitFor(() => expect(textOf(freeMail.find(Tag))).toBe('Inte registrerad'), WAIT);
    expect(freeMail.find(LoadingButton).props.disabled).toBe(true);
    expect(textOf(freeMail.getRootNode())).toContain('hotmail.com tillhör en leverantör av gratis e-post eller internet');
    expect(textOf(freeMail.getRootNode())).toContain('0 av 1 domän registrerade');
  });

  test('registered through another contact and the website-changed note, in Swedish', async () => {
    const first = contact({ website: 'https://delad.se', firstname: 'Ada', lastname: 'Först' });
    const second = contact({ website: 'https://delad.se/kontakt', firstname: 'Bo', lastname: 'Andra' });
    await registerContact(db, {
      portalId,
      contact: { contactId: first.id, website: 'https://delad.se', firstName: 'Ada', lastName: 'Först' },
      registeredBy: 'x@agency.example',
      channel: 'card',
    });
    const card = renderCard(second.id, { locale: 'sv-se' });
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registrerad'), WAIT);
    expect(textOf(card.getRootNode())).toContain('delad.se är registrerad genom en annan kontakt, Ada Först, sedan');
    expect(card.find(Link, (link) => textOf(link) === 'Ada Först').props.href).toEqual({
      url: `https://app.hubspot.com/contacts/${portalId}/record/0-1/${first.id}`,
      external: true,
    });

    rig.fake.contacts.update(portalId, first.id, { website: 'https://ny-adress.se' });
    await db.contact.deleteMany({ where: { portalId: BigInt(portalId), contactId: first.id } });
    const moved = renderCard(first.id, { locale: 'sv-se' });
    await moved.waitFor(() => expect(moved.find(Alert, { variant: 'info' }).props.title).toBe('Webbplatsen har ändrats'), WAIT);
  });
});

describe('held by another partner (exclusive claims)', () => {
  /** Another partner of the program registers the domain: arrangement through the real use case. */
  async function heldElsewhere(domain: string) {
    const other = await createTestPortal(db);
    await registerContact(db, { portalId: other, contact: { contactId: 'their-contact', website: `https://${domain}` }, registeredBy: 'rival@other.example', channel: 'card' });
    return other;
  }

  test('says since when it is held, never by whom, and offers "Join the waitlist" instead of Register', async () => {
    const other = await heldElsewhere('held-elsewhere.se');
    const seeded = contact({ website: 'https://www.held-elsewhere.se/kontakt' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Held by another partner'), WAIT);
    const text = textOf(card.getRootNode());
    expect(text).toContain('held-elsewhere.se is held by another partner of the program since');
    expect(text).not.toContain(String(other));
    expect(text).not.toContain('rival@other.example');
    expect(text).not.toContain('Registering claims');
    expect(textOf(card.find(LoadingButton))).toBe('Join the waitlist');

    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(textOf(card.find(Alert))).toBe('You joined the waitlist for held-elsewhere.se.'), WAIT);
    expect(textOf(card.find(Tag))).toBe('On the waitlist');
    expect(textOf(card.getRootNode())).toContain('You are first in line for held-elsewhere.se.');
    expect(textOf(card.find(LoadingButton))).toBe('Leave the waitlist');
    const entries = await db.waitlistEntry.findMany({ where: { portalId: BigInt(portalId) } });
    expect(entries.map((entry) => [entry.domain, entry.status, entry.contactId, entry.joinedBy])).toEqual([['held-elsewhere.se', 'waiting', seeded.id, 'maja@agency.example']]);
    expect(await db.registration.count({ where: { portalId: BigInt(portalId) } })).toBe(0);
  });

  test('waitlisted: shows its place in line (others counted, never named) and leaves on "Leave the waitlist"', async () => {
    await heldElsewhere('queued-for.se');
    const ahead = await createTestPortal(db);
    await joinWaitlist(db, { portalId: ahead, domain: 'queued-for.se', contactId: 'x', joinedBy: 'first@ahead.example', queuePrefix: 'test' });
    const seeded = contact({ website: 'https://queued-for.se' });
    await joinWaitlist(db, { portalId, domain: 'queued-for.se', contactId: seeded.id, joinedBy: 'maja@agency.example', queuePrefix: 'test' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('On the waitlist'), WAIT);
    const text = textOf(card.getRootNode());
    expect(text).toContain('You are number 2 in line for queued-for.se.');
    expect(text).toContain('Waiting uses no capacity.');
    expect(text).not.toContain('first@ahead.example');
    expect(text).not.toContain(String(ahead));

    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(textOf(card.find(Alert))).toBe('You left the waitlist for queued-for.se.'), WAIT);
    expect(textOf(card.find(Tag))).toBe('Held by another partner');
    expect(textOf(card.find(LoadingButton))).toBe('Join the waitlist');
    expect(await db.waitlistEntry.findFirst({ where: { portalId: BigInt(portalId) } })).toMatchObject({ status: 'left' });
  });

  test('handed over from the waitlist: "Registered by" says so, with who joined', async () => {
    const seeded = contact({ website: 'https://handed-over.se' });
    // What the waitlist's serve does when the domain is released (server/waitlist/serve-waitlists.ts).
    await registerContact(db, { portalId, contact: { contactId: seeded.id, website: 'https://handed-over.se' }, registeredBy: 'maja@agency.example', channel: 'waitlist' });
    const card = renderCard(seeded.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(textOf(card.find(DescriptionListItem, { label: 'Registered by' }))).toBe('The waitlist (joined by maja@agency.example)');
  });

  test('held and waitlisted, in Swedish', async () => {
    await heldElsewhere('upptagen.se');
    const seeded = contact({ website: 'https://upptagen.se' });
    const card = renderCard(seeded.id, { locale: 'sv-se' });
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Innehas av en annan partner'), WAIT);
    expect(textOf(card.getRootNode())).toContain('upptagen.se innehas av en annan partner i programmet sedan');
    expect(textOf(card.find(LoadingButton))).toBe('Ställ dig i kön');
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('I kön'), WAIT);
    expect(textOf(card.getRootNode())).toContain('Du står först i kön för upptagen.se.');
    expect(textOf(card.find(LoadingButton))).toBe('Lämna kön');
  });
});

describe('claim expiry and renewal (a program with a claim period)', () => {
  beforeAll(async () => {
    await updateProgramSettings(db, { changes: { claimPeriodDays: 30, renewalsAllowed: 1, reminderDays: [14, 3] }, actor: 'test' });
  });
  afterAll(async () => {
    await updateProgramSettings(db, { changes: { claimPeriodDays: null, renewalsAllowed: 2 }, actor: 'test' });
  });

  /** A contact registered to the portal through the real use case, its claim ending in `days` days. */
  async function registeredExpiringIn(domain: string, days: number) {
    const seeded = contact({ website: `https://${domain}` });
    const registered = await registerContact(db, {
      portalId,
      contact: { contactId: seeded.id, website: `https://${domain}` },
      registeredBy: 'maja@agency.example',
      channel: 'card',
    });
    if (!registered.ok) throw new Error(`${domain} not registered`);
    const expiresAt = new Date(Date.now() + days * 24 * 3600 * 1000);
    await db.registration.update({ where: { id: BigInt(registered.registration.id) }, data: { expiresAt } });
    return { contactId: seeded.id, registrationId: registered.registration.id, expiresAt };
  }

  const alertTitled = (card: ReturnType<typeof renderCard>, title: string) => card.maybeFind(Alert, (alert) => alert.props.title === title);

  test('expiring soon: the expiry date, the reminder and Renew; after Renew, the new expiry and a success note', async () => {
    const { contactId, registrationId, expiresAt } = await registeredExpiringIn('renew-me.se', 5);
    const en = localeFormat('en');
    const card = renderCard(contactId);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(textOf(card.find(DescriptionListItem, { label: 'Expires on' }))).toBe(en.dateTime(expiresAt.toISOString()));
    const reminder = alertTitled(card, 'Claim expiring soon');
    expect(reminder?.props.variant).toBe('warning');
    expect(textOf(reminder)).toBe(`Your claim on renew-me.se ends on ${en.dateTime(expiresAt.toISOString())}. Renew it to keep it for another period (1 renewal left).`);
    expect(textOf(card.find(LoadingButton))).toBe('Renew');

    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(alertTitled(card, 'Renewed')).not.toBeNull(), WAIT);
    const renewed = await db.registration.findUniqueOrThrow({ where: { id: BigInt(registrationId) } });
    expect(renewed.renewals).toBe(1);
    const newExpiry = en.dateTime(renewed.expiresAt!.toISOString());
    expect(textOf(alertTitled(card, 'Renewed'))).toBe(`renew-me.se is renewed: your claim now lasts until ${newExpiry}.`);
    expect(alertTitled(card, 'Renewed')?.props.variant).toBe('success');
    expect(textOf(card.find(DescriptionListItem, { label: 'Expires on' }))).toBe(newExpiry);
    // Not expiring soon any more, and the program allows one renewal: no reminder, no Renew.
    expect(alertTitled(card, 'Claim expiring soon')).toBeNull();
    expect(card.maybeFind(LoadingButton)).toBeNull();
  });

  test('not expiring soon: the expiry date and Renew, without a reminder; a claim with no renewals left gets the reminder without Renew', async () => {
    const later = await registeredExpiringIn('renew-later.se', 25);
    const card = renderCard(later.contactId);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(textOf(card.find(DescriptionListItem, { label: 'Expires on' }))).toBe(localeFormat('en').dateTime(later.expiresAt.toISOString()));
    expect(alertTitled(card, 'Claim expiring soon')).toBeNull();
    expect(textOf(card.find(LoadingButton))).toBe('Renew');
    expect(textOf(card.getRootNode())).toContain('1 renewal left');

    const used = await registeredExpiringIn('renew-used.se', 2);
    await db.registration.update({ where: { id: BigInt(used.registrationId) }, data: { renewals: 1 } });
    const exhausted = renderCard(used.contactId);
    await exhausted.waitFor(() => expect(alertTitled(exhausted, 'Claim expiring soon')).not.toBeNull(), WAIT);
    expect(textOf(alertTitled(exhausted, 'Claim expiring soon'))).toContain('it has been renewed as often as the program allows');
    expect(exhausted.maybeFind(LoadingButton)).toBeNull();
  });

  test("registered through another contact: that claim's expiry, its reminder and Renew on this contact's card too", async () => {
    const { registrationId, expiresAt } = await registeredExpiringIn('renew-shared.se', 4);
    const second = contact({ website: 'https://www.renew-shared.se/team' });
    const card = renderCard(second.id);
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registered'), WAIT);
    expect(textOf(card.getRootNode())).toContain('renew-shared.se is registered through another contact');
    expect(textOf(card.find(DescriptionListItem, { label: 'Expires on' }))).toBe(localeFormat('en').dateTime(expiresAt.toISOString()));
    expect(alertTitled(card, 'Claim expiring soon')).not.toBeNull();
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(alertTitled(card, 'Renewed')).not.toBeNull(), WAIT);
    expect(await db.registration.findUniqueOrThrow({ where: { id: BigInt(registrationId) } })).toMatchObject({ renewals: 1 });
  });

  test('in Swedish: the reminder, and a refused renewal says why with the state as it is now', async () => {
    const { contactId, registrationId, expiresAt } = await registeredExpiringIn('fornya.se', 3);
    const sv = localeFormat('sv');
    const card = renderCard(contactId, { locale: 'sv-se' });
    await card.waitFor(() => expect(textOf(card.find(Tag))).toBe('Registrerad'), WAIT);
    expect(textOf(card.find(DescriptionListItem, { label: 'Upphör' }))).toBe(sv.dateTime(expiresAt.toISOString()));
    expect(textOf(alertTitled(card, 'Anspråket upphör snart'))).toBe(
      `Ditt anspråk på fornya.se upphör ${sv.dateTime(expiresAt.toISOString())}. Förnya det för att behålla det ytterligare en period (1 förnyelse kvar).`,
    );
    expect(textOf(card.find(LoadingButton))).toBe('Förnya');

    // Renewed elsewhere (the Capacity Manager) while the card was open: the program allows no more.
    await db.registration.update({ where: { id: BigInt(registrationId) }, data: { renewals: 1 } });
    card.find(LoadingButton).trigger('onClick');
    await card.waitFor(() => expect(alertTitled(card, 'Inte förnyad')).not.toBeNull(), WAIT);
    expect(textOf(alertTitled(card, 'Inte förnyad'))).toBe(
      'Anspråket har redan förnyats så många gånger som programmet tillåter. Det upphör på utgångsdagen; registrera domänen igen efteråt om den fortfarande är ledig.',
    );
    expect(textOf(alertTitled(card, 'Anspråket upphör snart'))).toContain('har förnyats så många gånger som programmet tillåter');
    expect(card.maybeFind(LoadingButton)).toBeNull();
    expect(await db.auditEvent.count({ where: { registrationId: BigInt(registrationId), action: 'registration_renewed' } })).toBe(0);
  });
});
