// The webhook planner without a database: events, mirror rows and HubSpot records in, the mirror
// and the rules' decisions out. The property runs the planner the way process-webhook-events.ts
// does (records read when asked for, answers recorded after registering) over any order,
// duplication and batching of the events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEW_CONTACT_MIRROR, type ContactMirror } from '../contacts/contact-mirror.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import type { HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import { planWebhookEvents, RULE_NEW_CONTACTS, RULE_TRIGGER, type InboxEvent, type PlanInput, type WebhookPlan } from './plan-webhook-events.js';

const APP_ID = 7;
const TRIGGER = APP_PROPERTIES.trigger;
let nextId = 1;

function event(fields: Partial<InboxEvent> & Pick<InboxEvent, 'subscriptionType' | 'objectId' | 'occurredAt'>): InboxEvent {
  return { id: String(nextId++), portalId: 1, appId: APP_ID, ...fields };
}
const creation = (objectId: string, occurredAt: number) => event({ subscriptionType: 'contact.creation', objectId, occurredAt });
const change = (objectId: string, occurredAt: number, propertyName: string, propertyValue: string | null) =>
  event({ subscriptionType: 'contact.propertyChange', objectId, occurredAt, propertyName, propertyValue });
const record = (id: string, updatedAt: number, properties: Record<string, string | null>): HubSpotContactRecord => ({
  id,
  properties,
  updatedAt: new Date(updatedAt).toISOString(),
  archived: false,
});

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'events'>): WebhookPlan {
  return planWebhookEvents({ appId: APP_ID, autoRegisterNewContacts: false, mirrors: new Map(), records: new Map(), registrations: new Map(), ...input });
}

describe('planWebhookEvents', () => {
  it('registers a contact created with a website and ticked a second later, though its record was read after a later edit', () => {
    const events = [creation('1', 1000), change('1', 2000, TRIGGER, 'true'), change('1', 3000, 'company', 'Acme')];
    const first = plan({ events });
    expect(first.missingRecords).toEqual(['1']);
    expect(first.requests).toEqual([]);
    const read = plan({ events, records: new Map([['1', record('1', 3000, { website: 'acme.com', [TRIGGER]: 'true', company: 'Acme' })]]) });
    expect(read.requests).toMatchObject([
      { contactId: '1', rule: RULE_TRIGGER, contact: { website: 'acme.com', company: 'Acme' }, answers: { triggerAnsweredAt: 3000, creation: false } },
    ]);
    expect(read.outcomes.get(events[1]!.id)).toBe('ignored: older than the mirror');
  });

  it('asks nothing for a tick already answered, and asks again after an untick', () => {
    const answered: ContactMirror = {
      ...NEW_CONTACT_MIRROR,
      isNew: false,
      state: { values: { [TRIGGER]: 'true', website: 'a.com' }, changedAt: { [TRIGGER]: 5000, website: 5000 } },
      triggerAnsweredAt: 5000,
    };
    const records = new Map([['1', record('1', 9000, { website: 'a.com', [TRIGGER]: 'true' })]]);
    const mirrors = new Map([['1', answered]]);
    expect(plan({ events: [change('1', 4000, TRIGGER, 'true'), change('1', 6000, 'company', 'A')], mirrors, records })).toMatchObject({ requests: [], missingRecords: [] });
    const again = plan({ events: [change('1', 7000, TRIGGER, 'false'), change('1', 8000, TRIGGER, 'true')], mirrors, records });
    expect(again.requests).toMatchObject([{ contactId: '1', answers: { triggerAnsweredAt: 9000 } }]);
    // An untick older than the answer is no new request, whichever order it arrives in.
    expect(plan({ events: [change('1', 4500, TRIGGER, 'false')], mirrors, records }).requests).toEqual([]);
  });

  it('asks nothing when HubSpot no longer shows the tick, or no longer has the contact', () => {
    const events = [change('1', 1000, TRIGGER, 'true')];
    expect(plan({ events, records: new Map([['1', record('1', 2000, { website: 'a.com', [TRIGGER]: 'false' })]]) }).requests).toEqual([]);
    expect(plan({ events, records: new Map([['1', null]]) }).requests).toEqual([]);
  });

  it('answers the new-contact rule once per creation, and with the registration a contact already has', () => {
    const events = [creation('1', 1000)];
    const records = new Map([['1', record('1', 1000, { website: 'new.com' })]]);
    expect(plan({ events, records, autoRegisterNewContacts: true }).requests).toMatchObject([{ rule: RULE_NEW_CONTACTS, answers: { creation: true, triggerAnsweredAt: null } }]);
    expect(plan({ events, records, autoRegisterNewContacts: false }).requests).toEqual([]);
    const answered = new Map([['1', { ...NEW_CONTACT_MIRROR, isNew: false, creationAnsweredAt: 1 }]]);
    expect(plan({ events, records, mirrors: answered, autoRegisterNewContacts: true }).requests).toEqual([]);
    const registered = plan({ events, records, autoRegisterNewContacts: true, registrations: new Map([['1', { domain: 'new.com', registeredAt: '2026-01-01T00:00:00.000Z' }]]) });
    expect(registered).toMatchObject({ requests: [], alreadyRegistered: [{ contactId: '1', registration: { domain: 'new.com' } }] });
  });

  it('erases the details of a contact on a privacy deletion and takes none afterwards', () => {
    const events = [
      change('1', 1000, 'email', 'ada@example.com'),
      event({ subscriptionType: 'contact.privacyDeletion', objectId: '1', occurredAt: 2000 }),
      change('1', 3000, 'firstname', 'Ada'),
    ];
    const result = plan({ events });
    expect(result.erased).toEqual(['1']);
    expect(result.mirrors.get('1')!.state.values).toMatchObject({ email: null, firstname: null, $deleted: 'true' });
  });

  it('leaves the contact deleted and erased whichever of the privacy deletion and its contact.deletion comes first', () => {
    const privacy = event({ subscriptionType: 'contact.privacyDeletion', objectId: '1', occurredAt: 2000 });
    const deletion = event({ subscriptionType: 'contact.deletion', objectId: '1', occurredAt: 2000 });
    for (const batches of [[[privacy], [deletion]], [[deletion], [privacy]], [[deletion, privacy]]]) {
      let mirrors = new Map<string, ContactMirror>([['1', { ...NEW_CONTACT_MIRROR, isNew: false, state: { values: { email: 'ada@example.com' }, changedAt: { email: 1000 } } }]]);
      for (const events of batches) mirrors = plan({ events, mirrors }).mirrors;
      expect(mirrors.get('1')).toMatchObject({ state: { values: { email: null, $deleted: 'true' } }, erasedAt: 2000 });
    }
  });

  it('moves registrations and marks merged contacts on a merge, reading the survivor', () => {
    const merge = event({ subscriptionType: 'contact.merge', objectId: '2', occurredAt: 1000, primaryObjectId: '2', mergedObjectIds: ['1'], newObjectId: '2' });
    const result = plan({ events: [merge], records: new Map([['2', record('2', 1000, { website: 'b.com' })]]) });
    expect(result.registrationMoves).toEqual([{ from: ['1'], to: '2' }]);
    expect(result.mirrors.get('1')).toMatchObject({ mergedInto: '2', state: { values: { $deleted: 'true' } } });
    expect(result.mirrors.get('2')!.state.values.website).toBe('b.com');
  });

  it('takes the event type from the inbox row, and ignores events for another app', () => {
    const result = plan({
      events: [event({ subscriptionType: 'contact.propertyChange', objectId: '1', occurredAt: 1, propertyName: 'website', propertyValue: 'x.com', appId: 99 })],
    });
    expect([...result.outcomes.values()]).toEqual(['ignored: another app']);
  });
});

describe('the trigger rule, over any order, duplication and batching of events', () => {
  // A contact's history: its creation, then ticks and unticks (and unrelated edits) a second apart.
  const history = fc.record({ ticks: fc.array(fc.boolean(), { maxLength: 5 }), edits: fc.nat({ max: 2 }), readLag: fc.nat({ max: 5000 }) });
  const scenario = fc.record({
    contacts: fc.array(history, { minLength: 1, maxLength: 6 }),
    room: fc.nat({ max: 6 }),
    // Per event (after the shuffle): how many copies, and a random key for the order.
    copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 40 }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 120, maxLength: 120 }),
    cuts: fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
  });

  it('registers exactly the contacts whose final trigger is ticked, as far as capacity allows, and answers every one of them once', () => {
    fc.assert(
      fc.property(scenario, ({ contacts, room, copies, order, cuts }) => {
        const events: InboxEvent[] = [];
        const records = new Map<string, HubSpotContactRecord | null>();
        const finallyTicked = new Set<string>();
        contacts.forEach((contact, index) => {
          const id = String(index + 1);
          const createdAt = 1_000_000;
          events.push(creation(id, createdAt));
          events.push(...contact.ticks.map((tick, n) => change(id, createdAt + 1000 * (n + 1), TRIGGER, String(tick))));
          for (let edit = 0; edit < contact.edits; edit += 1) events.push(change(id, createdAt + 1000 * (contact.ticks.length + edit + 1), 'company', `Company ${edit}`));
          const at = createdAt + 1000 * (contact.ticks.length + contact.edits);
          const ticked = contact.ticks.at(-1) === true;
          if (ticked) finallyTicked.add(id);
          records.set(id, record(id, at + contact.readLag, { website: `c${id}.com`, [TRIGGER]: ticked ? 'true' : null }));
        });
        // Duplicates, any order, any batches.
        const delivered = events.flatMap((item, index) => Array.from({ length: copies[index % copies.length]! }, () => ({ ...item, id: String(nextId++) })));
        const shuffled = delivered
          .map((item, index) => ({ item, key: order[index % order.length]! + index * 1e-9 }))
          .sort((a, b) => a.key - b.key)
          .map(({ item }) => item);
        const batches: InboxEvent[][] = [[]];
        shuffled.forEach((item, index) => {
          batches.at(-1)!.push(item);
          if (cuts[index % cuts.length]) batches.push([]);
        });

        // The I/O of process-webhook-events.ts, in memory.
        const mirrors = new Map<string, ContactMirror>();
        const registered = new Map<string, number>();
        const answers = new Map<string, string[]>();
        for (const batch of batches.filter((items) => items.length > 0)) {
          const read = new Map<string, HubSpotContactRecord | null>();
          const registrations = new Map([...registered.keys()].map((id) => [id, { domain: `c${id}.com`, registeredAt: '' }]));
          let planned = plan({ events: batch, mirrors, records: read, registrations });
          while (planned.missingRecords.length > 0) {
            for (const id of planned.missingRecords) read.set(id, records.get(id)!);
            planned = plan({ events: batch, mirrors, records: read, registrations });
          }
          for (const [id, mirror] of planned.mirrors) mirrors.set(id, mirror);
          for (const request of planned.requests) {
            const outcome = registered.size < room ? 'registered' : 'refused';
            if (outcome === 'registered') registered.set(request.contactId, (registered.get(request.contactId) ?? 0) + 1);
            answers.set(request.contactId, [...(answers.get(request.contactId) ?? []), outcome]);
            const mirror = mirrors.get(request.contactId)!;
            mirrors.set(request.contactId, { ...mirror, triggerAnsweredAt: Math.max(mirror.triggerAnsweredAt ?? 0, request.answers.triggerAnsweredAt ?? 0) });
          }
        }

        expect([...registered.values()].every((count) => count === 1)).toBe(true);
        expect([...registered.keys()].every((id) => finallyTicked.has(id))).toBe(true);
        expect(registered.size).toBe(Math.min(room, finallyTicked.size));
        // Every ticked contact is answered exactly once: registered, or refused (and the refusal written back).
        expect([...answers.keys()].sort()).toEqual([...finallyTicked].sort());
        expect([...answers.values()].every((outcomes) => outcomes.length === 1)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
