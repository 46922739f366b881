// Applies inbox events to the contact mirror and registers contacts when a portal's rule says so:
// the I/O around plan-webhook-events.ts, which decides.
//
// Per portal: the contacts HubSpot must be read for (new ones, merge survivors, contacts a rule
// may register) are read in batches, outside any transaction; then, under the contacts' row
// locks, the plan is made from the mirror as it is and written in one transaction (a plan that
// needs a contact not read yet — another job changed it meanwhile — reads it and plans again).
// Registration goes through the same use case and limit as the card; its outcome is queued as a
// write-back, and only then is the answer recorded on the contact, so a job that dies anywhere is
// run again and answers what is still unanswered. While a job answers a contact it holds a claim
// on it (in the planning transaction, under the row lock): another job with events of the same
// contact waits for the answer and plans again, so a request is answered once. Events are marked
// processed last.
import { setTimeout } from 'node:timers/promises';
import type pg from 'pg';
import type { AppConfig } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { lockContactMirrors, readContactMirrors, writeContactMirrors } from '../contacts/contact-mirror-store.js';
import { eraseContactPersonalDataIn } from '../contacts/erase-contact-personal-data.js';
import { withTransaction, type Database } from '../db/client.js';
import { CONTACT_PROPERTIES_READ } from '../hubspot/app-properties.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import { MAX_BATCH_INPUTS, type HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import { HubSpotDisconnectedError } from '../hubspot/hubspot-errors.js';
import { queueContactWriteBacks, refusedProperties, registeredProperties, type ContactWriteBack } from '../hubspot/write-back.js';
import type { Logger } from '../observability/logger.js';
import { countRegistrationOutcomes } from '../observability/metrics.js';
import type { AppQueues } from '../queue/queues.js';
import { registerContacts } from '../registrations/register-contacts.js';
import { contactsNamedBy, inboxEventOf, planWebhookEvents, type ActiveRegistration, type InboxEvent, type RuleAnswers, type WebhookPlan } from './plan-webhook-events.js';

export { RULE_NEW_CONTACTS, RULE_TRIGGER } from './plan-webhook-events.js';

export interface ProcessWebhookEventsDeps {
  config: Pick<AppConfig, 'HUBSPOT_APP_ID'>;
  db: Database;
  hubspot: Pick<HubSpot, 'api'>;
  queues: Pick<AppQueues, 'contactWriteBack' | 'prefix'>;
  logger: Logger;
}

export interface ProcessWebhookEventsInput {
  /** Inbox ids (bigint as text); those already processed are skipped. */
  eventIds: string[];
}

interface PortalRow {
  id: string;
  install_state: 'installed' | 'disconnected';
  auto_register_new_contacts: boolean;
}

export interface ProcessReport {
  processed: number;
  registered: number;
  refused: number;
}

/** Plans that needed contacts read again (another job changed them meanwhile) before the job gives up for a retry. */
const MAX_READ_ROUNDS = 3;
/**
 * Two jobs with events of one contact must not both answer its request (a second registration
 * attempt, a second refusal): the first claims the contact while it registers, writes back and
 * records the answer; the other waits and plans again. A claim this old is a job that died.
 */
const RULE_CLAIM_EXPIRES_MS = 60_000;
const CLAIM_WAIT_MS = 100;
const CLAIM_WAITS = 50;

export async function processWebhookEvents(deps: ProcessWebhookEventsDeps, input: ProcessWebhookEventsInput): Promise<ProcessReport> {
  const { rows } = await deps.db.pool.query<{ id: string; subscription_type: string; payload: Record<string, unknown> }>(
    `SELECT id::text, subscription_type, payload FROM webhook_events WHERE id = ANY($1::bigint[]) AND processed_at IS NULL ORDER BY occurred_at, id`,
    [input.eventIds],
  );
  const report: ProcessReport = { processed: 0, registered: 0, refused: 0 };
  const outcomes = new Map<string, string>();
  const byPortal = new Map<number, InboxEvent[]>();
  for (const row of rows) {
    const event = inboxEventOf(row);
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
      const portalReport = await processPortalEvents(deps, portal!, events);
      for (const [eventId, outcome] of portalReport.outcomes) outcomes.set(eventId, outcome);
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

async function processPortalEvents(deps: ProcessWebhookEventsDeps, portal: PortalRow, events: InboxEvent[]) {
  const portalId = Number(portal.id);
  const records = new Map<string, HubSpotContactRecord | null>();
  let outcomes: Map<string, string> | undefined;
  const report = { registered: 0, refused: 0 };
  // A first look, without locks or a transaction: which contacts HubSpot must be read for. The
  // plan that counts is made under the locks after that read (a contact that changed meanwhile is
  // read then); locking first only to find this out cost a transaction that wrote every row.
  await readFromHubSpot(deps, portalId, await contactsToRead(deps, portal, events, records), records);
  for (let readRounds = 0, waits = 0; ; ) {
    const { plan, claimed } = await planAndClaim(deps, portal, events, records);
    if (plan.missingRecords.length > 0) {
      if (++readRounds === MAX_READ_ROUNDS) {
        throw new AppError({
          kind: 'conflict',
          code: 'CONTACTS_CHANGING',
          message: `Contacts of portal ${portalId} kept changing while their webhook events were processed; the job is retried.`,
        });
      }
      await readFromHubSpot(deps, portalId, plan.missingRecords, records);
      continue;
    }
    // The first complete plan says what the events did; later rounds only see them applied already.
    outcomes ??= plan.outcomes;
    const answered = await answerRequests(deps, portalId, plan, claimed);
    report.registered += answered.registered;
    report.refused += answered.refused;
    if (claimed.size === plan.requests.length) return { outcomes, ...report };
    // Another job is answering some of these contacts: plan again once it is done.
    if (++waits === CLAIM_WAITS) {
      throw new AppError({
        kind: 'conflict',
        code: 'CONTACTS_BEING_ANSWERED',
        message: `Another job is answering the registration rules for contacts of portal ${portalId}; the job is retried.`,
      });
    }
    await setTimeout(CLAIM_WAIT_MS);
  }
}

/**
 * Plans under the contacts' row locks and writes the mirror (unless the plan needs contacts read
 * first), then claims the contacts it asks to register that no other job is answering.
 */
async function planAndClaim(deps: ProcessWebhookEventsDeps, portal: PortalRow, events: InboxEvent[], records: Map<string, HubSpotContactRecord | null>) {
  const portalId = Number(portal.id);
  const contactIds = contactsNamedBy(events);
  return withTransaction(deps.db, async (sql) => {
    const mirrors = await lockContactMirrors(sql, portalId, contactIds);
    const registrations = await activeRegistrations(sql, portalId, contactIds);
    const plan = planWebhookEvents({ appId: deps.config.HUBSPOT_APP_ID, autoRegisterNewContacts: portal.auto_register_new_contacts, events, mirrors, records, registrations });
    if (plan.missingRecords.length > 0) return { plan, claimed: new Set<string>() };
    // Before the mirror is written: what other rows may quote of the person is still there to find.
    for (const contactId of plan.erased) await eraseContactPersonalDataIn(sql, { portalId, contactId });
    await writeContactMirrors(sql, portalId, plan.mirrors);
    for (const move of plan.registrationMoves) {
      await sql.query('UPDATE registrations SET contact_id = $3 WHERE portal_id = $1 AND contact_id = ANY($2::text[])', [portalId, move.from, move.to]);
    }
    if (plan.requests.length === 0) return { plan, claimed: new Set<string>() };
    const { rows } = await sql.query<{ contact_id: string }>(
      `UPDATE contacts SET rule_claimed_at = now()
       WHERE portal_id = $1 AND contact_id = ANY($2::text[]) AND (rule_claimed_at IS NULL OR rule_claimed_at < now() - make_interval(secs => $3))
       RETURNING contact_id`,
      [portalId, plan.requests.map((request) => request.contactId), RULE_CLAIM_EXPIRES_MS / 1000],
    );
    return { plan, claimed: new Set(rows.map((row) => row.contact_id)) };
  });
}

/** The contacts a plan from the mirror as it is would read from HubSpot first. */
async function contactsToRead(deps: ProcessWebhookEventsDeps, portal: PortalRow, events: InboxEvent[], records: Map<string, HubSpotContactRecord | null>): Promise<string[]> {
  const portalId = Number(portal.id);
  const contactIds = contactsNamedBy(events);
  const [mirrors, registrations] = await Promise.all([readContactMirrors(deps.db.pool, portalId, contactIds), activeRegistrations(deps.db.pool, portalId, contactIds)]);
  return planWebhookEvents({ appId: deps.config.HUBSPOT_APP_ID, autoRegisterNewContacts: portal.auto_register_new_contacts, events, mirrors, records, registrations })
    .missingRecords;
}

async function activeRegistrations(sql: Pick<pg.ClientBase, 'query'>, portalId: number, contactIds: string[]): Promise<Map<string, ActiveRegistration>> {
  const { rows } = await sql.query<{ contact_id: string; domain: string; registered_at: Date }>(
    `SELECT contact_id, domain, registered_at FROM registrations WHERE portal_id = $1 AND contact_id = ANY($2::text[]) AND status = 'active' ORDER BY registered_at`,
    [portalId, contactIds],
  );
  return new Map(rows.map((row) => [row.contact_id, { domain: row.domain, registeredAt: row.registered_at.toISOString() }]));
}

/** Reads contacts into `records`; an id HubSpot does not return (gone, or merged away) is recorded as null. */
async function readFromHubSpot(deps: ProcessWebhookEventsDeps, portalId: number, contactIds: string[], records: Map<string, HubSpotContactRecord | null>) {
  const api = deps.hubspot.api.forPortal(portalId, 'sync');
  for (let start = 0; start < contactIds.length; start += MAX_BATCH_INPUTS) {
    const batch = contactIds.slice(start, start + MAX_BATCH_INPUTS);
    for (const id of batch) records.set(id, null);
    for (const record of await api.batchReadContacts(batch, CONTACT_PROPERTIES_READ)) if (batch.includes(record.id)) records.set(record.id, record);
  }
}

/** Registers what the rules ask (one batch under the portal's lock), writes the outcomes back, then records the answers. */
async function answerRequests(deps: ProcessWebhookEventsDeps, portalId: number, plan: WebhookPlan, claimed: Set<string>) {
  const requests = plan.requests.filter((request) => claimed.has(request.contactId));
  const writeBacks: ContactWriteBack[] = plan.alreadyRegistered.map(({ contactId, registration }) => ({
    contactId,
    properties: registeredProperties(registration.domain, registration.registeredAt),
  }));
  let registered = 0;
  let refused = 0;
  try {
    const results = await registerContacts(deps.db, {
      portalId,
      contacts: requests.map(({ rule, contact }) => ({ contact, registeredBy: rule, channel: 'automatic' as const })),
    });
    countRegistrationOutcomes('automatic', results);
    results.forEach((result, index) => {
      const { contactId } = requests[index]!;
      if (result.ok) {
        registered += 1;
        writeBacks.push({ contactId, properties: registeredProperties(result.registration.domain, result.registration.registeredAt) });
      } else if (result.refusal.code === 'ALREADY_REGISTERED' && result.refusal.details.sameContact) {
        writeBacks.push({ contactId, properties: registeredProperties(result.refusal.details.domain, result.refusal.details.registeredAt) });
      } else {
        refused += 1;
        writeBacks.push({ contactId, properties: refusedProperties(result.refusal.message) });
      }
    });
    // In one order, like every other write to these rows.
    writeBacks.sort((a, b) => (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0));
    await queueContactWriteBacks(deps, portalId, writeBacks);
    await recordAnswers(deps.db, portalId, [
      ...plan.alreadyRegistered.map((answer) => ({ ...answer, claimed: false })),
      ...requests.map((request) => ({ ...request, claimed: true })),
    ]);
  } catch (error) {
    // Let the retry (or another job) answer at once rather than after the claim expires.
    await deps.db.pool.query('UPDATE contacts SET rule_claimed_at = NULL WHERE portal_id = $1 AND contact_id = ANY($2::text[])', [portalId, [...claimed]]).catch(() => {});
    throw error;
  }
  return { registered, refused };
}

/** Records what was answered and releases this job's claims, in one transaction. */
async function recordAnswers(db: Pick<Database, 'pool'>, portalId: number, answered: Array<{ contactId: string; answers: RuleAnswers; claimed: boolean }>) {
  if (answered.length === 0) return;
  await withTransaction(db, async (sql) => {
    // Rows are locked in the order every transaction on contacts uses (lockContactMirrors), or
    // two jobs answering two contacts could deadlock.
    await sql.query('SELECT 1 FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::text[]) ORDER BY contact_id FOR UPDATE', [
      portalId,
      answered.map(({ contactId }) => contactId),
    ]);
    // Monotone: an answer never takes back a newer one recorded by another job.
    await sql.query(
      `UPDATE contacts AS c SET
         trigger_answered_at = greatest(c.trigger_answered_at, to_timestamp(a.trigger_ms / 1000.0)),
         creation_answered_at = CASE WHEN a.creation THEN coalesce(c.creation_answered_at, now()) ELSE c.creation_answered_at END,
         rule_claimed_at = CASE WHEN a.claimed THEN NULL ELSE c.rule_claimed_at END
       FROM jsonb_to_recordset($2::jsonb) AS a(contact_id text, trigger_ms float8, creation boolean, claimed boolean)
       WHERE c.portal_id = $1 AND c.contact_id = a.contact_id`,
      [
        portalId,
        JSON.stringify(answered.map(({ contactId, answers, claimed }) => ({ contact_id: contactId, trigger_ms: answers.triggerAnsweredAt, creation: answers.creation, claimed }))),
      ],
    );
  });
}
