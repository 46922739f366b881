import { describe, expect, it } from 'vitest';
import { inboxEntryFor, judgeBatch } from './webhook-event.js';

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
