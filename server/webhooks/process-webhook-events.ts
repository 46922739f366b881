// Applies inbox events to the contact mirror and registers contacts when a portal's rule says so.
//
// Events of a job are applied per portal in the order they occurred. The mirror takes each
// property only if it is newer than what it holds (contacts/mirror-merge.ts), so duplicates
// and late arrivals change nothing. Automatic registration goes through the same use case and
// limit as the card, with the contact as HubSpot holds it (one batch read per job, not a call
// per contact); its outcome is written back to the contact, coalesced per portal. Events are
// marked processed last: a job that dies half way is simply run again, and every step is safe
// to repeat (a registration repeated for the same contact is recognised as already made).
import type { AppConfig } from '../config/config.js';
import { applyContactChange, applyContactChanges, type ContactChange, type ContactChangeResult } from '../contacts/apply-contact-change.js';
import { changeFromRecord } from '../contacts/change-from-record.js';
import { DELETED } from '../contacts/mirror-merge.js';
import type { Database } from '../db/client.js';
import { APP_PROPERTIES, CONTACT_PROPERTIES_READ } from '../hubspot/app-properties.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import type { HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import { HubSpotDisconnectedError } from '../hubspot/hubspot-errors.js';
import { contactAtRegistration } from '../hubspot/read-contact.js';
import { queueContactWriteBacks, refusedProperties, registeredProperties, type ContactWriteBack } from '../hubspot/write-back.js';
import type { Logger } from '../observability/logger.js';
import type { AppQueues } from '../queue/queues.js';
import { registerContacts } from '../registrations/register-contacts.js';

export interface ProcessWebhookEventsDeps {
  config: Pick<AppConfig, 'HUBSPOT_APP_ID'>;
  db: Database;
  hubspot: Pick<HubSpot, 'api'>;
  queues: Pick<AppQueues, 'contactWriteBack' | 'prefix'>;
  logger: Logger;
}

interface InboxEvent {
  id: string;
  portalId: number;
  occurredAt: number;
  subscriptionType: string;
  objectId: string;
  appId?: number;
  propertyName?: string;
  propertyValue?: string | null;
  primaryObjectId?: string;
  mergedObjectIds?: string[];
  newObjectId?: string;
}

interface PortalRow {
  id: string;
  install_state: 'installed' | 'disconnected';
  auto_register_new_contacts: boolean;
}

export const RULE_TRIGGER = 'rule: Register as partner lead';
export const RULE_NEW_CONTACTS = 'rule: new contacts with a website';
const MAX_BATCH_READ = 100;

export interface ProcessReport {
  processed: number;
  registered: number;
  refused: number;
}

export async function processWebhookEvents(deps: ProcessWebhookEventsDeps, eventIds: string[]): Promise<ProcessReport> {
  const { rows } = await deps.db.pool.query<{ id: string; payload: Record<string, unknown> }>(
    `SELECT id::text, payload FROM webhook_events WHERE id = ANY($1::bigint[]) AND processed_at IS NULL ORDER BY occurred_at, id`,
    [eventIds],
  );
  const report: ProcessReport = { processed: 0, registered: 0, refused: 0 };
  const outcomes = new Map<string, string>();
  const byPortal = new Map<number, InboxEvent[]>();
  for (const row of rows) {
    const event = inboxEvent(row.id, row.payload);
    byPortal.set(event.portalId, [...(byPortal.get(event.portalId) ?? []), event]);
  }

  for (const [portalId, events] of byPortal) {
    const portal = (await deps.db.pool.query<PortalRow>('SELECT id::text, install_state, auto_register_new_contacts FROM portals WHERE id = $1', [portalId])).rows[0];
    const ignoreAll = !portal ? 'ignored: unknown portal' : portal.install_state === 'disconnected' ? 'ignored: portal disconnected' : null;
    if (ignoreAll) {
      for (const event of events) outcomes.set(event.id, ignoreAll);
      continue;
    }
    try {
      const portalReport = await processPortalEvents(deps, portal!, events, outcomes);
      report.registered += portalReport.registered;
      report.refused += portalReport.refused;
    } catch (error) {
      if (!(error instanceof HubSpotDisconnectedError)) throw error;
      for (const event of events) outcomes.set(event.id, 'ignored: portal disconnected');
    }
  }

  if (outcomes.size > 0) {
    await deps.db.pool.query(
      `UPDATE webhook_events AS inbox SET processed_at = now(), outcome = done.outcome
       FROM unnest($1::bigint[], $2::text[]) AS done(id, outcome)
       WHERE inbox.id = done.id AND inbox.processed_at IS NULL`,
      [[...outcomes.keys()], [...outcomes.values()]],
    );
  }
  report.processed = outcomes.size;
  return report;
}

function inboxEvent(id: string, payload: Record<string, unknown>): InboxEvent {
  const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
  return {
    id,
    portalId: Number(payload.portalId),
    occurredAt: Number(payload.occurredAt),
    subscriptionType: String(payload.subscriptionType),
    objectId: String(payload.objectId),
    appId: payload.appId === undefined ? undefined : Number(payload.appId),
    propertyName: text(payload.propertyName),
    propertyValue: payload.propertyValue === null ? null : text(payload.propertyValue),
    primaryObjectId: text(payload.primaryObjectId),
    mergedObjectIds: Array.isArray(payload.mergedObjectIds) ? payload.mergedObjectIds.map(String) : undefined,
    newObjectId: text(payload.newObjectId),
  };
}

/** Contacts whose HubSpot state the job needs: new ones, merge survivors, and those to register. */
function contactsToRead(events: InboxEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.subscriptionType === 'contact.creation') ids.add(event.objectId);
    if (event.subscriptionType === 'contact.merge') ids.add(event.newObjectId ?? event.primaryObjectId ?? event.objectId);
    if (event.subscriptionType === 'contact.propertyChange' && event.propertyName === APP_PROPERTIES.trigger && event.propertyValue === 'true') ids.add(event.objectId);
  }
  return [...ids];
}

async function readFromHubSpot(deps: ProcessWebhookEventsDeps, portalId: number, contactIds: string[]): Promise<Map<string, HubSpotContactRecord>> {
  const api = deps.hubspot.api.forPortal(portalId, 'sync');
  const found = new Map<string, HubSpotContactRecord>();
  for (let start = 0; start < contactIds.length; start += MAX_BATCH_READ) {
    for (const record of await api.batchReadContacts(contactIds.slice(start, start + MAX_BATCH_READ), CONTACT_PROPERTIES_READ)) found.set(record.id, record);
  }
  return found;
}

async function processPortalEvents(deps: ProcessWebhookEventsDeps, portal: PortalRow, events: InboxEvent[], outcomes: Map<string, string>) {
  const portalId = Number(portal.id);
  const fetched = await readFromHubSpot(deps, portalId, contactsToRead(events));
  // Contact → why it should be registered (the last reason wins; one attempt per contact).
  const toRegister = new Map<string, string>();

  // All of the job's contact changes in one batch (merges, which touch several contacts, after).
  const applicable: InboxEvent[] = [];
  const merges: InboxEvent[] = [];
  for (const event of events) {
    if (event.appId !== undefined && deps.config.HUBSPOT_APP_ID !== event.appId) outcomes.set(event.id, 'ignored: another app');
    else if (event.subscriptionType === 'contact.merge') merges.push(event);
    else applicable.push(event);
  }
  const planned = applicable.map((event) => ({ event, change: changeFor(portalId, event, fetched) }));
  const results = await applyContactChanges(deps.db, portalId, planned.flatMap(({ change }) => (change ? [change] : [])));
  let next = 0;
  for (const { event, change } of planned) {
    const result = change ? results[next++]! : null;
    outcomes.set(event.id, outcomeOf(portal, event, result, fetched.get(event.objectId), toRegister));
  }
  for (const event of merges) outcomes.set(event.id, await applyMerge(deps, portalId, event, fetched));
  return registerForRules(deps, portalId, toRegister, fetched);
}

/** The mirror change an event makes, or null for events the app does not use. */
function changeFor(portalId: number, event: InboxEvent, fetched: Map<string, HubSpotContactRecord>): ContactChange | null {
  const at = event.occurredAt;
  switch (event.subscriptionType) {
    case 'contact.creation': {
      const record = fetched.get(event.objectId);
      return record ? changeFromRecord(portalId, record, at) : { portalId, contactId: event.objectId, update: { properties: {}, changedAt: at } };
    }
    case 'contact.propertyChange':
      return event.propertyName ? { portalId, contactId: event.objectId, update: { properties: { [event.propertyName]: event.propertyValue ?? null }, changedAt: at } } : null;
    case 'contact.deletion':
    case 'contact.privacyDeletion':
      return { portalId, contactId: event.objectId, update: { properties: { [DELETED]: 'true' }, changedAt: at }, erasePersonalData: event.subscriptionType === 'contact.privacyDeletion' };
    case 'contact.restore':
      return { portalId, contactId: event.objectId, update: { properties: { [DELETED]: 'false' }, changedAt: at } };
    default:
      return null;
  }
}

/** What an applied event means: its outcome, and whether a rule now asks to register the contact. */
function outcomeOf(portal: PortalRow, event: InboxEvent, result: ContactChangeResult | null, record: HubSpotContactRecord | undefined, toRegister: Map<string, string>): string {
  switch (event.subscriptionType) {
    case 'contact.creation':
      if (portal.auto_register_new_contacts && record?.properties.website) toRegister.set(event.objectId, RULE_NEW_CONTACTS);
      return record ? 'applied' : 'applied: the contact is no longer in HubSpot';
    case 'contact.propertyChange':
      if (!result) return 'ignored: no property name';
      if (event.propertyName === APP_PROPERTIES.trigger && event.propertyValue === 'true' && setByThisEvent(result, event)) toRegister.set(event.objectId, RULE_TRIGGER);
      return result.applied.length ? 'applied' : 'ignored: older than the mirror';
    case 'contact.deletion':
    case 'contact.privacyDeletion':
      toRegister.delete(event.objectId);
      return event.subscriptionType === 'contact.privacyDeletion' ? 'applied: personal data erased' : 'applied';
    case 'contact.restore':
      return 'applied';
    default:
      return `ignored: ${event.subscriptionType} is not used`;
  }
}

/** The mirror's trigger value is the one this event set (now, or in an earlier run of this job). */
function setByThisEvent(result: ContactChangeResult, event: InboxEvent): boolean {
  return result.after.changedAt[APP_PROPERTIES.trigger] === event.occurredAt && result.after.values[APP_PROPERTIES.trigger] === 'true';
}

async function applyMerge(deps: ProcessWebhookEventsDeps, portalId: number, event: InboxEvent, fetched: Map<string, HubSpotContactRecord>): Promise<string> {
  const survivor = event.newObjectId ?? event.primaryObjectId ?? event.objectId;
  const merged = [...new Set([event.primaryObjectId, event.objectId, ...(event.mergedObjectIds ?? [])])].filter((id): id is string => id !== undefined && id !== survivor);
  for (const contactId of merged) {
    await applyContactChange(deps.db, { portalId, contactId, update: { properties: { [DELETED]: 'true' }, changedAt: event.occurredAt }, mergedIntoContactId: survivor });
  }
  // Registrations follow the contact to the one that survives; their snapshot stays as it was.
  const moved = await deps.db.pool.query('UPDATE registrations SET contact_id = $3 WHERE portal_id = $1 AND contact_id = ANY($2::text[])', [portalId, merged, survivor]);
  const record = fetched.get(survivor);
  if (record) await applyContactChange(deps.db, changeFromRecord(portalId, record, event.occurredAt));
  return `applied: merged ${merged.join(', ')} into ${survivor}${moved.rowCount ? `, ${moved.rowCount} registration(s) moved` : ''}`;
}

async function registerForRules(deps: ProcessWebhookEventsDeps, portalId: number, toRegister: Map<string, string>, fetched: Map<string, HubSpotContactRecord>) {
  const writeBacks: ContactWriteBack[] = [];
  let registered = 0;
  let refused = 0;
  // One batch under one lock: every contact of the job, in the order its events occurred.
  const candidates = [...toRegister].flatMap(([contactId, rule]) => {
    const record = fetched.get(contactId);
    return record ? [{ contactId, request: { contact: contactAtRegistration(record), registeredBy: rule, channel: 'automatic' as const } }] : [];
  });
  const results = await registerContacts(deps.db, portalId, candidates.map(({ request }) => request));
  results.forEach((result, index) => {
    const { contactId } = candidates[index]!;
    if (result.ok) {
      registered += 1;
      writeBacks.push({ contactId, properties: registeredProperties(result.registration.domain, result.registration.registeredAt) });
    } else if (result.refusal.code === 'ALREADY_REGISTERED' && result.refusal.details.sameContact) {
      // This contact's registration exists (an earlier run of this job made it): say so again.
      writeBacks.push({ contactId, properties: registeredProperties(result.refusal.details.domain, result.refusal.details.registeredAt) });
    } else {
      refused += 1;
      writeBacks.push({ contactId, properties: refusedProperties(result.refusal.message) });
    }
  });
  await queueContactWriteBacks(deps, portalId, writeBacks);
  return { registered, refused };
}
