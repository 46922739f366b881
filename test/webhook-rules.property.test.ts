// The trigger rule end to end, as a property: for any order, duplication and batching of
// contacts' events, and HubSpot records at least as new as the last event, the registered
// contacts are exactly those whose final trigger is ticked, as far as capacity allows, and every
// refusal is written back to HubSpot, whether events come as contact.* or in the generic form. Each generated case is a portal of its own on the real
// server, workers, PostgreSQL and Redis, with the HubSpot fake delivering the batches.
//
// Up to 1,000 cases run, as many as fit in PROPERTY_TIME_LIMIT_MS (fast-check stops generating
// then and the test reports how many ran); set WEBHOOK_PROPERTY_TIME_LIMIT_MS to run longer, and
// WEBHOOK_PROPERTY_SEED and WEBHOOK_PROPERTY_PATH to replay a failure.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { inGenericForm } from './hubspot-fake/change-events.js';
import { TEST_APP_ID } from './support/hubspot.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { fillCapacity } from './support/database.js';

const PROPERTY_TIME_LIMIT_MS = Number(process.env.WEBHOOK_PROPERTY_TIME_LIMIT_MS ?? 40_000);
const POLL = { timeout: 20_000, interval: 25 };
const UNTIERED_LIMIT = 50;

let app: AppRig;
beforeAll(async () => {
  app = await startAppRig();
});
afterAll(() => app.stopAll());

// A contact's history: created (with its website), then ticked and unticked, and edited, a second apart.
const contactHistory = fc.record({
  ticks: fc.array(fc.boolean(), { maxLength: 4 }),
  edits: fc.nat({ max: 2 }),
});
const scenario = fc.record({
  contacts: fc.array(contactHistory, { minLength: 1, maxLength: 5 }),
  room: fc.nat({ max: 4 }),
  // Per event: its copies (1 = no duplicate), a key for the delivery order, whether a batch ends after
  // it, and whether it goes out in the generic form (object.* with objectTypeId "0-1").
  delivery: fc.array(fc.record({ copies: fc.integer({ min: 1, max: 2 }), key: fc.nat(), cut: fc.boolean(), generic: fc.boolean() }), { minLength: 30, maxLength: 30 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

let casesRun = 0;

async function runCase({ contacts, room, delivery }: Scenario) {
  casesRun += 1;
  const portalId = await app.installPortal({ tier: 'untiered' });
  await fillCapacity(app.db, portalId, UNTIERED_LIMIT - room);
  const start = Date.now() - 60_000;
  const finallyTicked = new Set<string>();
  const events = contacts.flatMap((history, index) => {
    const ticked = history.ticks.at(-1) === true;
    const website = `p${portalId}-c${index}.com`;
    // HubSpot's record as it is after every event: read later, so at least as new as the last one.
    const [contact] = app.fake.contacts.seed(portalId, [
      { email: `c${index}@${website}`, website, ...(history.edits ? { company: `Company ${history.edits - 1}` } : {}), ...(ticked ? { [APP_PROPERTIES.trigger]: 'true' } : {}) },
    ]);
    if (ticked) finallyTicked.add(contact!.id);
    const build = (occurredAt: number, subscriptionType: 'contact.creation' | 'contact.propertyChange', propertyName?: string, propertyValue?: string) =>
      app.fake.webhooks.buildEvent({ appId: TEST_APP_ID, portalId, subscriptionType, objectId: contact!.id, occurredAt, propertyName, propertyValue });
    return [
      build(start, 'contact.creation'),
      build(start, 'contact.propertyChange', 'website', website),
      ...history.ticks.map((tick, n) => build(start + 1000 * (n + 1), 'contact.propertyChange', APP_PROPERTIES.trigger, String(tick))),
      ...Array.from({ length: history.edits }, (_, edit) => build(start + 1000 * (history.ticks.length + edit + 1), 'contact.propertyChange', 'company', `Company ${edit}`)),
    ];
  });

  const sent = events
    .flatMap((event, index) =>
      Array.from({ length: delivery[index % delivery.length]!.copies }, (_, copy) => ({ event, key: delivery[(index + copy * 7) % delivery.length]!.key, index })),
    )
    .sort((a, b) => a.key - b.key || a.index - b.index);
  const batches: (typeof events)[] = [[]];
  sent.forEach(({ event }, position) => {
    batches.at(-1)!.push(delivery[position % delivery.length]!.generic ? inGenericForm(event) : event);
    if (delivery[position % delivery.length]!.cut) batches.push([]);
  });
  for (const batch of batches) if (batch.length > 0) app.fake.webhooks.sendBatch({ appId: TEST_APP_ID, portalId, events: batch });

  await app.fake.webhooks.idle();
  const portal = BigInt(portalId);
  await expect.poll(() => app.db.webhookEvent.count({ where: { portalId: portal, processedAt: null } }), POLL).toBe(0);
  await expect.poll(() => app.db.contactWriteBack.count({ where: { portalId: portal } }), POLL).toBe(0);

  const registrations = await app.db.registration.findMany({ where: { portalId: portal, status: 'active', NOT: { contactId: { startsWith: 'seed-' } } } });
  const registered = new Set(registrations.map((registration) => registration.contactId));
  expect(registered.size).toBe(registrations.length);
  expect([...registered].filter((id) => !finallyTicked.has(id))).toEqual([]);
  expect(registered.size).toBe(Math.min(room, finallyTicked.size));
  // Answered once each: one registration or one refusal per ticked contact, nothing for the others.
  const answers = await app.db.auditEvent.groupBy({
    by: ['contactId'],
    where: { portalId: portal, action: { in: ['registration_created', 'registration_refused'] }, NOT: { contactId: { startsWith: 'seed-' } } },
    _count: true,
  });
  expect(Object.fromEntries(answers.map((answer) => [answer.contactId, answer._count]))).toEqual(Object.fromEntries([...finallyTicked].map((id) => [id, 1])));
  for (const contact of app.fake.contacts.list(portalId)) {
    const status = contact.properties[APP_PROPERTIES.status] ?? null;
    expect({ contact: contact.id, status }).toEqual({ contact: contact.id, status: registered.has(contact.id) ? 'registered' : finallyTicked.has(contact.id) ? 'refused' : null });
  }
}

describe('the trigger rule, end to end, over any order, duplication and batching of events', () => {
  it(
    'registers exactly the contacts whose final trigger is ticked, as far as capacity allows, and writes every refusal back',
    async () => {
      await fc.assert(fc.asyncProperty(scenario, runCase), {
        numRuns: 1000,
        interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
        markInterruptAsFailure: false,
        // To replay a failure: the seed and path fast-check printed.
        seed: process.env.WEBHOOK_PROPERTY_SEED ? Number(process.env.WEBHOOK_PROPERTY_SEED) : undefined,
        path: process.env.WEBHOOK_PROPERTY_PATH,
      });
      console.log(`webhook rule property: ${casesRun} of 1000 generated cases ran within ${PROPERTY_TIME_LIMIT_MS} ms`);
      expect(casesRun).toBeGreaterThanOrEqual(20);
    },
    PROPERTY_TIME_LIMIT_MS + 30_000,
  );
});
