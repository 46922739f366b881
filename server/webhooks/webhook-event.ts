// What the receiver makes of each event of a webhook batch, before it is stored.
//
// HubSpot sends contact events in two forms, depending on where the app's webhooks-hsmeta.json
// declares the subscription:
// - `legacyCrmObjects`: `contact.creation`, `contact.propertyChange`, `contact.deletion`,
//   `contact.merge`, `contact.restore`, …;
// - `crmObjects` (generic): `object.creation`, `object.propertyChange`, `object.deletion`,
//   `object.merge`, `object.restore`, with the object type in `objectTypeId` as a raw id: "0-1"
//   contacts, "0-2" companies, "0-3" deals, …. (`object.associationChange` exists too; the app
//   subscribes to no association changes, and stores one under its own type, for processing to
//   ignore.)
// Privacy deletions have no generic form: `contact.privacyDeletion` is declared under `hubEvents`
// and arrives as such. Sources: developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions
// (the legacy → generic table, objectTypeId "in raw ID format (e.g., 0-1 for contacts)"),
// developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks and
// HubSpot/hubspot-project-components 2025.2/components/webhooks/src/app/webhooks/webhooks-hsmeta.json
// (crmObjects / legacyCrmObjects / hubEvents, privacyDeletion under hubEvents).
// Unconfirmed: that a generic event carries the same other fields as its contact twin
// (propertyName/propertyValue, the merge fields); nothing published says otherwise.
//
// Each event is judged on its own, so that one odd event never costs the batch (HubSpot retries
// a whole batch answered 4xx for 24 hours):
// - a contact event in either form is stored under its contact type (the generic one's twin) and
//   queued for processing; the payload stays as sent;
// - an event about another object type is stored and marked ignored at once;
// - an event that does not fit the schema is stored and marked unparsed, with the reason.
import { z } from 'zod';
import { holdsUnstorableText, storableCopy } from '../domain/storable-text.js';
import { mayHoldUnstorableText } from './jsonb-text.js';

/** HubSpot's object type id of contacts in generic events. */
export const CONTACTS_OBJECT_TYPE_ID = '0-1';

/** bigint columns: 18 digits always fit, whatever HubSpot's ids grow to in practice. */
const DIGITS_ID = /^\d{1,18}$/;
const id = z.union([z.number().int().nonnegative(), z.string().regex(DIGITS_ID)]).transform(String);

// z.int() stops at Number.MAX_SAFE_INTEGER; occurredAt also stays within what a Date can hold.
const MAX_EPOCH_MS = 8_640_000_000_000_000;

export const webhookEventSchema = z.looseObject({
  eventId: id,
  subscriptionId: id,
  portalId: z.number().int().positive(),
  appId: z.number().int().positive().optional(),
  occurredAt: z.number().int().positive().max(MAX_EPOCH_MS),
  subscriptionType: z.string().min(1).max(100),
  objectTypeId: z.string().max(50).optional(),
  objectId: id,
  attemptNumber: z.number().int().nonnegative().optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().nullable().optional(),
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).optional(),
  newObjectId: id.optional(),
});

export type WebhookEventInput = z.infer<typeof webhookEventSchema>;

/** HubSpot sends at most 100 events a request; a little slack, and a bound. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/** One event as the inbox stores it: its identity (what could be read of it) and, when already decided, its outcome. */
export interface InboxEntry {
  portalId: number | null;
  subscriptionId: string | null;
  eventId: string | null;
  occurredAt: number | null;
  /** The contact twin for a generic contacts event; as sent otherwise. */
  subscriptionType: string | null;
  objectId: string | null;
  /** Set for events decided at the door (ignored, unparsed); null for events to process. */
  outcome: string | null;
  /** Keyed by a hash of its content, since its identity may be incomplete. */
  unparsed: boolean;
}

/** The generic subscription types the app handles, and the contact type each stands for. */
const CONTACT_TWINS: Record<string, string> = {
  'object.creation': 'contact.creation',
  'object.propertyChange': 'contact.propertyChange',
  'object.deletion': 'contact.deletion',
  'object.merge': 'contact.merge',
  'object.restore': 'contact.restore',
};

/** What judging an event needs of it, as the schema reads it. */
export type JudgedFields = Pick<WebhookEventInput, 'eventId' | 'subscriptionId' | 'portalId' | 'occurredAt' | 'subscriptionType' | 'objectTypeId' | 'objectId'>;

const isId = (value: unknown): value is number | string =>
  typeof value === 'number' ? Number.isSafeInteger(value) && value >= 0 : typeof value === 'string' && DIGITS_ID.test(value);
const isCount = (value: unknown, least: number) => typeof value === 'number' && Number.isSafeInteger(value) && value >= least;
const isShortText = (value: unknown, most: number) => typeof value === 'string' && value.length <= most;

/**
 * The fields of an event in the plain form HubSpot sends nearly always, checked by hand; undefined
 * for anything else, which zod then judges. Zod's parse of the whole schema took about 2 µs an
 * event, 200 µs a batch: the receiver's largest piece of its own work (bench/webhook-ingest). The
 * schema stays the definition: this accepts only values it accepts, and reads them as it does
 * (a property test holds the two to the same answer); merges (mergedObjectIds) always go to zod.
 */
export function plainEventFields(raw: Record<string, unknown>): JudgedFields | undefined {
  const { eventId, subscriptionId, portalId, occurredAt, subscriptionType, objectTypeId, objectId } = raw;
  if (!isId(eventId) || !isId(subscriptionId) || !isId(objectId) || !isCount(portalId, 1) || !isCount(occurredAt, 1) || (occurredAt as number) > MAX_EPOCH_MS) return undefined;
  if (typeof subscriptionType !== 'string' || subscriptionType.length === 0 || subscriptionType.length > 100) return undefined;
  if (objectTypeId !== undefined && !isShortText(objectTypeId, 50)) return undefined;
  if (raw.appId !== undefined && !isCount(raw.appId, 1)) return undefined;
  if (raw.attemptNumber !== undefined && !isCount(raw.attemptNumber, 0)) return undefined;
  if (raw.propertyName !== undefined && !isShortText(raw.propertyName, 200)) return undefined;
  if (raw.propertyValue !== undefined && raw.propertyValue !== null && typeof raw.propertyValue !== 'string') return undefined;
  if ((raw.primaryObjectId !== undefined && !isId(raw.primaryObjectId)) || (raw.newObjectId !== undefined && !isId(raw.newObjectId)) || raw.mergedObjectIds !== undefined)
    return undefined;
  return {
    eventId: String(eventId),
    subscriptionId: String(subscriptionId),
    portalId: portalId as number,
    occurredAt: occurredAt as number,
    subscriptionType,
    objectTypeId: objectTypeId as string | undefined,
    objectId: String(objectId),
  };
}

/** `raw` is one element of the batch, already known to be a JSON object. */
export function inboxEntryFor(raw: Record<string, unknown>): InboxEntry {
  let event: JudgedFields | undefined = plainEventFields(raw);
  if (!event) {
    const parsed = webhookEventSchema.safeParse(raw);
    if (!parsed.success) return unparsed(raw, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; '));
    event = parsed.data;
  }
  const entry: InboxEntry = {
    portalId: event.portalId,
    subscriptionId: event.subscriptionId,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    subscriptionType: event.subscriptionType,
    objectId: event.objectId,
    outcome: null,
    unparsed: false,
  };
  if (event.subscriptionType.startsWith('object.')) {
    if (event.objectTypeId === undefined) return unparsed(raw, `objectTypeId: required for ${event.subscriptionType} events`);
    if (event.objectTypeId !== CONTACTS_OBJECT_TYPE_ID) return { ...entry, outcome: `ignored: object type ${event.objectTypeId} is not used` };
    return { ...entry, subscriptionType: CONTACT_TWINS[event.subscriptionType] ?? event.subscriptionType };
  }
  if (!event.subscriptionType.startsWith('contact.')) return { ...entry, outcome: `ignored: ${event.subscriptionType} is not used` };
  return entry;
}

/**
 * Each event's inbox entry, and the batch text to store: the body as sent, unless an event holds
 * text PostgreSQL cannot store (jsonb-text.ts), which is then replaced and the event unparsed.
 */
export function judgeBatch(body: string, events: Array<Record<string, unknown>>): { batchJson: string; entries: InboxEntry[] } {
  if (!mayHoldUnstorableText(body)) return { batchJson: body, entries: events.map(inboxEntryFor) };
  return {
    batchJson: JSON.stringify(storableCopy(events)),
    entries: events.map((event) =>
      // What is read of such an event is read from its storable copy: the subscription type is
      // a column of its own, and a U+0000 there failed the whole batch's insert.
      holdsUnstorableText(event)
        ? unparsed(storableCopy(event) as Record<string, unknown>, 'holds U+0000 or an unpaired surrogate, which PostgreSQL cannot store (replaced by U+FFFD in the payload)')
        : inboxEntryFor(event),
    ),
  };
}

/** Reasons longer than this are cut: the outcome column is for people, not for a dump. */
const MAX_REASON_LENGTH = 500;

/** What can be read of an event that does not fit: each identifying field that is valid on its own. */
function unparsed(raw: Record<string, unknown>, reason: string): InboxEntry {
  const { shape } = webhookEventSchema;
  const valid = <T>(schema: z.ZodType<T>, value: unknown): T | null => {
    const result = schema.safeParse(value);
    return result.success ? result.data : null;
  };
  return {
    portalId: valid(shape.portalId, raw.portalId),
    subscriptionId: valid(shape.subscriptionId, raw.subscriptionId),
    eventId: valid(shape.eventId, raw.eventId),
    occurredAt: valid(shape.occurredAt, raw.occurredAt),
    subscriptionType: valid(shape.subscriptionType, raw.subscriptionType),
    objectId: valid(shape.objectId, raw.objectId),
    outcome: `unparsed: ${reason}`.slice(0, MAX_REASON_LENGTH),
    unparsed: true,
  };
}
