// What a webhook job means, decided without I/O: the events of one portal, the contacts' mirror
// rows and the contacts read from HubSpot in → the mirror after the events, each event's outcome,
// the registrations a merge moves, and which contacts the registration rules ask to register.
//
// The rules depend on the state the events leave, not on any one event: after the job's events
// are applied, a contact asks to be registered when its trigger is ticked and that tick has not
// been answered (contacts/contact-mirror.ts), or, with the portal's new-contact rule on, when the
// job brings its creation and the creation has not been answered. So the outcome is the same
// whatever the order, repetition and batching of the events: a creation read from HubSpot that
// stamps the trigger later than the trigger's own event no longer hides the tick. A contact is
// registered as HubSpot holds it (its record, read for the job): a record that shows the trigger
// unticked, or the contact gone, asks nothing. Process-webhook-events.ts does the I/O.
import type { HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import { contactAtRegistration } from '../hubspot/read-contact.js';
import { updateFromRecord } from '../contacts/change-from-record.js';
import { applyMirrorChange, isDeleted, NEW_CONTACT_MIRROR, tickedAt, triggerAsks, type ContactMirror, type MirrorChange } from '../contacts/contact-mirror.js';
import { DELETED } from '../contacts/mirror-merge.js';
import type { ContactAtRegistration } from '../domain/registration-snapshot.js';

/** An inbox event as processing reads it. */
export interface InboxEvent {
  id: string;
  portalId: number;
  occurredAt: number;
  /** The contact form (`contact.creation`, …): the receiver stores generic `object.*` events under their contact twin. */
  subscriptionType: string;
  objectId: string;
  appId?: number;
  propertyName?: string;
  propertyValue?: string | null;
  primaryObjectId?: string;
  mergedObjectIds?: string[];
  newObjectId?: string;
}

/**
 * An inbox row as an event. The type comes from the row's `subscription_type` column, not the
 * payload: for a generic event (`object.propertyChange` with objectTypeId "0-1") the receiver
 * stores the contact twin there and keeps the payload as HubSpot sent it. The other fields have
 * the same names in both forms.
 */
export function inboxEventOf(row: { id: string; subscription_type: string; payload: Record<string, unknown> }): InboxEvent {
  const { payload } = row;
  const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
  return {
    id: row.id,
    portalId: Number(payload.portalId),
    occurredAt: Number(payload.occurredAt),
    subscriptionType: row.subscription_type,
    objectId: String(payload.objectId),
    appId: payload.appId === undefined ? undefined : Number(payload.appId),
    propertyName: text(payload.propertyName),
    propertyValue: payload.propertyValue === null ? null : text(payload.propertyValue),
    primaryObjectId: text(payload.primaryObjectId),
    mergedObjectIds: Array.isArray(payload.mergedObjectIds) ? payload.mergedObjectIds.map(String) : undefined,
    newObjectId: text(payload.newObjectId),
  };
}

export const RULE_TRIGGER = 'rule: Register as partner lead';
export const RULE_NEW_CONTACTS = 'rule: new contacts with a website';

/** What answering a contact's request settles: the tick (by the moment it was set) and/or the creation. */
export interface RuleAnswers {
  triggerAnsweredAt: number | null;
  creation: boolean;
}

export interface RegistrationRequest {
  contactId: string;
  rule: typeof RULE_TRIGGER | typeof RULE_NEW_CONTACTS;
  contact: ContactAtRegistration;
  answers: RuleAnswers;
}

export interface ActiveRegistration {
  domain: string;
  registeredAt: string;
}

export interface PlanInput {
  /** Events for other apps are ignored. */
  appId: number;
  autoRegisterNewContacts: boolean;
  /** One portal's events, in any order. */
  events: InboxEvent[];
  /** The mirror of every contact `contactsNamedBy(events)` names (NEW_CONTACT_MIRROR for one never heard of). */
  mirrors: Map<string, ContactMirror>;
  /** Contacts read from HubSpot for this job; null: HubSpot does not have it (under that id). */
  records: Map<string, HubSpotContactRecord | null>;
  /** The active registration of each contact that has one. */
  registrations: Map<string, ActiveRegistration>;
}

export interface WebhookPlan {
  outcomes: Map<string, string>;
  /** The mirror after the job, for every contact named. */
  mirrors: Map<string, ContactMirror>;
  /** A merge moves the registrations of the merged contacts to the survivor (their snapshot unchanged). */
  registrationMoves: Array<{ from: string[]; to: string }>;
  /** Contacts the plan needs read from HubSpot and `records` lacks: read them and plan again. */
  missingRecords: string[];
  /** Contacts to register, in the order their events occurred. */
  requests: RegistrationRequest[];
  /** Contacts whose request is answered by the registration they already have. */
  alreadyRegistered: Array<{ contactId: string; answers: RuleAnswers; registration: ActiveRegistration }>;
  /** Contacts erased by a privacy deletion (now or before) that the job names: erase everywhere. */
  erased: string[];
}

const survivorOf = (event: InboxEvent) => event.newObjectId ?? event.primaryObjectId ?? event.objectId;

function mergedAway(event: InboxEvent): string[] {
  const survivor = survivorOf(event);
  return [...new Set([event.primaryObjectId, event.objectId, ...(event.mergedObjectIds ?? [])])].filter((id): id is string => id !== undefined && id !== survivor);
}

/** Every contact the events name, in the order they first occur. */
export function contactsNamedBy(events: InboxEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of inOrder(events)) {
    if (event.subscriptionType === 'contact.merge') {
      ids.add(survivorOf(event));
      for (const id of mergedAway(event)) ids.add(id);
    } else ids.add(event.objectId);
  }
  return [...ids];
}

/** Oldest first; inbox ids (bigint text) break ties so the order never depends on arrival. */
function inOrder(events: InboxEvent[]): InboxEvent[] {
  const byId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return [...events].sort((a, b) => a.occurredAt - b.occurredAt || byId(a.id, b.id));
}

export function planWebhookEvents(input: PlanInput): WebhookPlan {
  const mirrors = new Map(contactsNamedBy(input.events).map((id) => [id, input.mirrors.get(id) ?? NEW_CONTACT_MIRROR]));
  const outcomes = new Map<string, string>();
  const missing = new Set<string>();
  const created = new Set<string>();
  const newestEventAt = new Map<string, number>();
  const registrationMoves: WebhookPlan['registrationMoves'] = [];

  const apply = (contactId: string, change: MirrorChange) => {
    const result = applyMirrorChange(mirrors.get(contactId)!, change);
    mirrors.set(contactId, result.mirror);
    return result.applied;
  };
  /** The contact as HubSpot holds it, applied to the mirror; undefined until it is read. */
  const applyRecord = (contactId: string, notBefore: number): HubSpotContactRecord | null | undefined => {
    const record = input.records.get(contactId);
    if (record === undefined) missing.add(contactId);
    else if (record) apply(contactId, { update: updateFromRecord(record, notBefore) });
    return record;
  };

  for (const event of inOrder(input.events)) {
    const at = event.occurredAt;
    for (const contactId of contactsNamedBy([event])) newestEventAt.set(contactId, Math.max(newestEventAt.get(contactId) ?? 0, at));
    if (event.appId !== undefined && event.appId !== input.appId) {
      outcomes.set(event.id, 'ignored: another app');
      continue;
    }
    switch (event.subscriptionType) {
      case 'contact.creation': {
        created.add(event.objectId);
        apply(event.objectId, { update: { properties: {}, changedAt: at } });
        const record = applyRecord(event.objectId, at);
        outcomes.set(event.id, record === null ? 'applied: the contact is no longer in HubSpot' : 'applied');
        break;
      }
      case 'contact.propertyChange': {
        if (!event.propertyName) {
          outcomes.set(event.id, 'ignored: no property name');
          break;
        }
        const applied = apply(event.objectId, { update: { properties: { [event.propertyName]: event.propertyValue ?? null }, changedAt: at } });
        outcomes.set(event.id, applied.length ? 'applied' : 'ignored: older than the mirror');
        break;
      }
      case 'contact.deletion':
        apply(event.objectId, { update: { properties: { [DELETED]: 'true' }, changedAt: at } });
        outcomes.set(event.id, 'applied');
        break;
      // HubSpot sends contact.deletion too for a privacy deletion ("you will receive two
      // notifications if you are subscribed to both": developers.hubspot.com/changelog/now-live-webhooks-now-support-privacy-compliant-contact-deletions);
      // either order leaves the contact deleted and erased.
      case 'contact.privacyDeletion':
        apply(event.objectId, { update: { properties: { [DELETED]: 'true' }, changedAt: at }, erase: true });
        outcomes.set(event.id, 'applied: personal data erased');
        break;
      case 'contact.restore':
        apply(event.objectId, { update: { properties: { [DELETED]: 'false' }, changedAt: at } });
        outcomes.set(event.id, 'applied');
        break;
      case 'contact.merge': {
        const survivor = survivorOf(event);
        const merged = mergedAway(event);
        for (const contactId of merged) apply(contactId, { update: { properties: { [DELETED]: 'true' }, changedAt: at }, mergedInto: survivor });
        registrationMoves.push({ from: merged, to: survivor });
        applyRecord(survivor, at);
        outcomes.set(event.id, `applied: merged ${merged.join(', ')} into ${survivor}`);
        break;
      }
      default:
        outcomes.set(event.id, `ignored: ${event.subscriptionType} is not used`);
    }
  }

  const requests: RegistrationRequest[] = [];
  const alreadyRegistered: WebhookPlan['alreadyRegistered'] = [];
  for (const contactId of mirrors.keys()) {
    const asking = () => {
      const mirror = mirrors.get(contactId)!;
      if (isDeleted(mirror) || mirror.erasedAt !== null || mirror.mergedInto !== null) return null;
      const trigger = triggerAsks(mirror);
      const creation = input.autoRegisterNewContacts && created.has(contactId) && mirror.creationAnsweredAt === null && Boolean(mirror.state.values.website);
      return trigger || creation ? { trigger, creation, mirror } : null;
    };
    if (!asking()) continue;
    // Decide on the contact as HubSpot holds it now (at least as new as its events): the record
    // may untick it or remove its website. Applying a record twice changes nothing.
    const record = applyRecord(contactId, newestEventAt.get(contactId) ?? 0);
    if (!record) continue;
    const ask = asking();
    if (!ask) continue;
    const answers: RuleAnswers = { triggerAnsweredAt: ask.trigger ? tickedAt(ask.mirror) : null, creation: ask.creation };
    const registration = input.registrations.get(contactId);
    if (registration) alreadyRegistered.push({ contactId, answers, registration });
    else requests.push({ contactId, rule: ask.trigger ? RULE_TRIGGER : RULE_NEW_CONTACTS, contact: contactAtRegistration(record), answers });
  }

  return {
    outcomes,
    mirrors,
    registrationMoves,
    missingRecords: [...missing],
    requests: missing.size ? [] : requests,
    alreadyRegistered: missing.size ? [] : alreadyRegistered,
    erased: [...mirrors].flatMap(([contactId, mirror]) => (mirror.erasedAt !== null ? [contactId] : [])),
  };
}
