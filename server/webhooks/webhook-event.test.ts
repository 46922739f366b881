import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inboxEntryFor, judgeBatch, plainEventFields, webhookEventSchema } from './webhook-event.js';

const base = { eventId: 11, subscriptionId: 22, portalId: 33, appId: 44, occurredAt: 1_700_000_000_000, attemptNumber: 0, objectId: 55 };

describe('inboxEntryFor', () => {
  it.each([
    ['object.creation', 'contact.creation'],
    ['object.propertyChange', 'contact.propertyChange'],
    ['object.deletion', 'contact.deletion'],
    ['object.merge', 'contact.merge'],
    ['object.restore', 'contact.restore'],
  ])('files a contacts %s under %s, to process', (sent, twin) => {
    expect(inboxEntryFor({ ...base, subscriptionType: sent, objectTypeId: '0-1' })).toEqual({
      portalId: 33,
      subscriptionId: '22',
      eventId: '11',
      occurredAt: 1_700_000_000_000,
      subscriptionType: twin,
      objectId: '55',
      outcome: null,
      unparsed: false,
    });
  });

  it('keeps contact.* types as sent, to process', () => {
    expect(inboxEntryFor({ ...base, subscriptionType: 'contact.privacyDeletion' })).toMatchObject({ subscriptionType: 'contact.privacyDeletion', outcome: null, unparsed: false });
  });

  it('decides at once that other object types are ignored, in either form', () => {
    expect(inboxEntryFor({ ...base, subscriptionType: 'object.creation', objectTypeId: '0-3' })).toMatchObject({
      outcome: 'ignored: object type 0-3 is not used',
      unparsed: false,
    });
    expect(inboxEntryFor({ ...base, subscriptionType: 'deal.creation' })).toMatchObject({ outcome: 'ignored: deal.creation is not used', unparsed: false });
  });

  it('marks an event that does not fit unparsed, keeping each identifying field that is valid on its own', () => {
    expect(inboxEntryFor({ ...base, eventId: -1, occurredAt: 'now', subscriptionType: 'contact.creation' })).toEqual({
      portalId: 33,
      subscriptionId: '22',
      eventId: null,
      occurredAt: null,
      subscriptionType: 'contact.creation',
      objectId: '55',
      outcome: expect.stringMatching(/^unparsed: eventId: .*; occurredAt: /),
      unparsed: true,
    });
  });

  it('accepts ids as digit strings up to what a bigint column holds, and no larger', () => {
    expect(inboxEntryFor({ ...base, subscriptionType: 'contact.creation', eventId: '999999999999999999' })).toMatchObject({ eventId: '999999999999999999', unparsed: false });
    expect(inboxEntryFor({ ...base, subscriptionType: 'contact.creation', eventId: '9999999999999999999' })).toMatchObject({ eventId: null, unparsed: true });
  });
});

describe('judgeBatch', () => {
  it('stores the body exactly as sent when nothing in it is unstorable', () => {
    const body = JSON.stringify([{ ...base, subscriptionType: 'contact.creation', note: 'caf\u00e9 \ud83d\ude00' }]);
    expect(judgeBatch(body, JSON.parse(body)).batchJson).toBe(body);
  });

  it('replaces U+0000 and unpaired surrogates (values and keys) and marks only those events unparsed', () => {
    const events = [
      { ...base, subscriptionType: 'contact.creation' },
      { ...base, eventId: 12, subscriptionType: 'contact.propertyChange', propertyName: 'website', propertyValue: 'a\u0000b' },
      { ...base, eventId: 13, subscriptionType: 'contact.creation', '\udc00': 'x' },
    ];
    const { batchJson, entries } = judgeBatch(JSON.stringify(events), events);
    expect(entries.map((entry) => entry.unparsed)).toEqual([false, true, true]);
    expect(batchJson).not.toMatch(/\\u0000|\\udc00/i);
    expect(JSON.parse(batchJson)[1].propertyValue).toBe('a\ufffdb');
    expect(Object.keys(JSON.parse(batchJson)[2])).toContain('\ufffd');
  });
});

describe('plainEventFields (the hand-written check of the plain form)', () => {
  // Values of every kind a JSON body can hold, near each bound the schema sets.
  const anyValue = fc.oneof(
    fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 53 - 1, 2 ** 53, 8_640_000_000_000_000, 8_640_000_000_000_001, 1_700_000_000_000, null, true, '', '0', '12', '-1', '1.5', ' 1', '１２'),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.stringMatching(/^\d{0,20}$/),
    fc.string({ maxLength: 210 }),
    fc.constantFrom(50, 51, 100, 101, 200, 201).map((length) => 'x'.repeat(length)),
    fc.constantFrom('contact.creation', 'contact.propertyChange', 'object.propertyChange', '0-1', '0-3'),
    fc.array(fc.oneof(fc.integer(), fc.stringMatching(/^\d{1,19}$/)), { maxLength: 3 }),
    fc.constant({}),
  );
  const fields = [
    'eventId',
    'subscriptionId',
    'portalId',
    'appId',
    'occurredAt',
    'subscriptionType',
    'objectTypeId',
    'objectId',
    'attemptNumber',
    'propertyName',
    'propertyValue',
    'primaryObjectId',
    'mergedObjectIds',
    'newObjectId',
  ];
  const plain = { ...base, subscriptionType: 'contact.propertyChange', propertyName: 'website', propertyValue: 'example.com', changeSource: 'CRM_UI' };
  // Plain events with a field or two replaced by any value, or left out.
  const events = fc
    .record(
      Object.fromEntries(
        fields.map((field) => [
          field,
          fc.oneof({ arbitrary: fc.constant<unknown>('keep'), weight: 12 }, { arbitrary: fc.constant<unknown>('drop'), weight: 1 }, { arbitrary: anyValue, weight: 2 }),
        ]),
      ),
    )
    .map((changes) => {
      const event: Record<string, unknown> = { ...plain };
      for (const [field, change] of Object.entries(changes)) {
        if (change === 'drop') delete event[field];
        else if (change !== 'keep') event[field] = change;
      }
      return event;
    });

  it('accepts only what the schema accepts, and reads it as the schema does', () => {
    let taken = 0;
    fc.assert(
      fc.property(events, (event) => {
        const fast = plainEventFields(event);
        if (fast === undefined) return;
        taken += 1;
        const parsed = webhookEventSchema.safeParse(event);
        expect(parsed.success).toBe(true);
        const { eventId, subscriptionId, portalId, occurredAt, subscriptionType, objectTypeId, objectId } = parsed.data!;
        expect(fast).toEqual({ eventId, subscriptionId, portalId, occurredAt, subscriptionType, objectTypeId, objectId });
      }),
      { numRuns: 5000 },
    );
    // The property says something only if many events took the fast path.
    expect(taken).toBeGreaterThan(250);
  });

  it('takes the events HubSpot sends, in either form, without zod', () => {
    expect(plainEventFields(plain)).toBeDefined();
    expect(plainEventFields({ ...plain, subscriptionType: 'object.propertyChange', objectTypeId: '0-1', eventId: '123' })).toBeDefined();
    expect(plainEventFields({ ...plain, propertyValue: null })).toBeDefined();
    expect(plainEventFields({ ...plain, mergedObjectIds: [1, 2] })).toBeUndefined();
  });
});
