// Reminders before a claim expires (program settings' reminder days, 14 and 3 by default).
//
// Two halves, like every piece of work the app sends to HubSpot (decision 0004):
// 1. recordDueReminders — one statement: every active claim that has crossed a reminder
//    threshold while held (it was claimed or renewed before `expires_at - days`) gets one
//    `expiry_reminders` row for the smallest threshold it has reached, `pending`. The primary key
//    (registration, days) makes a reminder exist once, whatever runs this and how often. Rows a
//    worker took and never settled (it died) go back to `pending` after a while.
// 2. sendExpiryReminders — per portal: takes the portal's pending rows (`sending`), and for each
//    creates a task in HubSpot on the contact, assigned to the HubSpot user who registered it
//    (found by email among the account's owners), due when the claim expires; then settles the
//    row (`task_created`, `no_scope`, `no_owner` or `failed`, with why) and writes its audit
//    event (`expiry_reminder_sent`) in one transaction. A portal that did not grant the owners
//    scope gets `no_scope` and nothing is sent: the audit and the log say so, nothing fails.
//    A worker dying between HubSpot's answer and the commit leaves the row `sending`; it is sent
//    again later, so that rare case can make a second task (HubSpot's task API has no
//    idempotency key to prevent it).
//
// The card's banner and the Capacity Manager's "Expiring soon" view read the expiry itself, not
// these rows: they show a claim as expiring as soon as it is within the largest threshold.
import type { Database } from '../db/client.js';
import type { HubSpotApi } from '../hubspot/hubspot-api.js';
import { HubSpotDisconnectedError, HubSpotRequestError } from '../hubspot/hubspot-errors.js';
import type { Logger } from '../observability/logger.js';
import { EXPIRY_ACTOR } from './expire-claims.js';

/** Scopes a reminder task needs: tasks are written with the contacts scope, owners read with theirs. */
export const REMINDER_TASK_SCOPES = ['crm.objects.contacts.write', 'crm.objects.owners.read'] as const;
/**
 * Scopes the install asks for as optional (`optional_scope`; the project's optionalScopes): the
 * owners look-up reminder tasks need. HubSpot's consent screen lets the partner decline them.
 */
export const OPTIONAL_HUBSPOT_SCOPES = ['crm.objects.owners.read'] as const;
/** A row `sending` for longer than this belongs to a worker that died: it is sent again. */
export const STALE_SENDING_MS = 10 * 60 * 1000;

export type ReminderOutcome = 'task_created' | 'no_scope' | 'no_owner' | 'failed';

/** Records the reminders now due; returns the portals that have reminders to send. */
export async function recordDueReminders(db: Pick<Database, 'pool'>, input: { reminderDays: readonly number[]; now?: Date }): Promise<number[]> {
  const now = input.now ?? new Date();
  const days = [...new Set(input.reminderDays)].filter((value) => Number.isInteger(value) && value > 0);
  if (days.length > 0) {
    await db.pool.query(
      `INSERT INTO expiry_reminders (registration_id, days_before, outcome, sent_at)
       SELECT r.id, due.days, 'pending', $1
       FROM registrations r
       CROSS JOIN LATERAL (
         SELECT min(d) AS days FROM unnest($2::int[]) AS d
         WHERE r.expires_at <= $1::timestamptz + make_interval(days => d)
           AND coalesce(r.renewed_at, r.registered_at) < r.expires_at - make_interval(days => d)
       ) AS due
       WHERE r.status = 'active' AND r.expires_at IS NOT NULL AND r.expires_at > $1
         AND r.expires_at <= $1::timestamptz + make_interval(days => $3::int) AND due.days IS NOT NULL
       ON CONFLICT (registration_id, days_before) DO NOTHING`,
      [now, days, Math.max(...days)],
    );
  }
  await db.pool.query(`UPDATE expiry_reminders SET outcome = 'pending' WHERE outcome = 'sending' AND sent_at < $1`, [new Date(now.getTime() - STALE_SENDING_MS)]);
  const { rows } = await db.pool.query<{ portal_id: string }>(
    `SELECT DISTINCT r.portal_id::text FROM expiry_reminders e JOIN registrations r ON r.id = e.registration_id WHERE e.outcome = 'pending'`,
  );
  return rows.map((row) => Number(row.portal_id));
}

interface TakenReminder {
  registration_id: string;
  days_before: number;
  domain: string;
  contact_id: string;
  registered_by: string;
  expires_at: Date;
  renewals: number;
}

export interface SendRemindersReport {
  sent: number;
  outcomes: Partial<Record<ReminderOutcome, number>>;
}

/** Sends a portal's pending reminders (see the top of this file). */
export async function sendExpiryReminders(
  deps: { db: Pick<Database, 'pool'>; api: HubSpotApi; logger: Logger },
  input: { portalId: number; renewalsAllowed: number },
): Promise<SendRemindersReport> {
  const { rows: taken } = await deps.db.pool.query<TakenReminder>(
    `UPDATE expiry_reminders e SET outcome = 'sending', sent_at = now()
     FROM registrations r
     WHERE r.id = e.registration_id AND r.portal_id = $1 AND e.outcome = 'pending'
     RETURNING e.registration_id::text, e.days_before, r.domain, r.contact_id, r.registered_by, r.expires_at, r.renewals`,
    [input.portalId],
  );
  const report: SendRemindersReport = { sent: 0, outcomes: {} };
  if (taken.length === 0) return report;

  const { rows: install } = await deps.db.pool.query<{ scopes: string[] }>('SELECT scopes FROM hubspot_installs WHERE portal_id = $1', [input.portalId]);
  const granted = new Set(install[0]?.scopes ?? []);
  const missingScopes = REMINDER_TASK_SCOPES.filter((scope) => !granted.has(scope));
  if (missingScopes.length > 0) {
    deps.logger.warn(
      { portalId: input.portalId, missingScopes, reminders: taken.length },
      'expiry reminders: the portal did not grant the scopes reminder tasks need; no task created (reinstall the app to grant them)',
    );
  }

  const api = deps.api.forPortal(input.portalId, 'bulk');
  const owners = new Map<string, string | null>();
  let index = 0;
  try {
    for (; index < taken.length; index += 1) {
      const reminder = taken[index]!;
      const settled = missingScopes.length > 0 ? noScope(missingScopes) : await createTask(api, owners, reminder, input.renewalsAllowed);
      await settle(deps.db, input.portalId, reminder, settled);
      report.sent += 1;
      report.outcomes[settled.outcome] = (report.outcomes[settled.outcome] ?? 0) + 1;
    }
  } finally {
    // HubSpot unavailable (thrown, the job retries): the reminders not settled go back to pending.
    const rest = taken.slice(index);
    if (rest.length > 0) {
      await deps.db.pool.query(
        `UPDATE expiry_reminders SET outcome = 'pending'
         FROM unnest($1::bigint[], $2::int[]) AS back(registration_id, days_before)
         WHERE expiry_reminders.registration_id = back.registration_id AND expiry_reminders.days_before = back.days_before AND outcome = 'sending'`,
        [rest.map((reminder) => reminder.registration_id), rest.map((reminder) => reminder.days_before)],
      );
    }
  }
  return report;
}

interface Settled {
  outcome: ReminderOutcome;
  taskId?: string;
  detail?: string;
}

function noScope(missing: readonly string[]): Settled {
  return { outcome: 'no_scope', detail: `The portal has not granted ${missing.join(' and ')}: no task is created in HubSpot. Reinstall the app to grant it.` };
}

async function createTask(api: ReturnType<HubSpotApi['forPortal']>, owners: Map<string, string | null>, reminder: TakenReminder, renewalsAllowed: number): Promise<Settled> {
  const email = reminder.registered_by.includes('@') ? reminder.registered_by : null;
  if (!email) return { outcome: 'no_owner', detail: `Registered by ${reminder.registered_by}, not by a HubSpot user: nobody to assign the task to.` };
  try {
    if (!owners.has(email)) owners.set(email, await api.findOwnerIdByEmail(email));
    const ownerId = owners.get(email);
    if (!ownerId) return { outcome: 'no_owner', detail: `No HubSpot user of the account has the email ${email}.` };
    const left = Math.max(0, renewalsAllowed - reminder.renewals);
    const taskId = await api.createContactTask({
      contactId: reminder.contact_id,
      ownerId,
      dueAt: reminder.expires_at,
      subject: `Partner registration of ${reminder.domain} expires in ${reminder.days_before} days`,
      body:
        `Your partner registration of ${reminder.domain} ends on ${reminder.expires_at.toISOString().slice(0, 10)}. ` +
        (left > 0
          ? `Renew it from the Lead Registration card on this contact or in the Capacity Manager (${left} renewal${left === 1 ? '' : 's'} left).`
          : 'It has been renewed as often as the program allows; it ends unless you register it again after it expires.'),
    });
    return { outcome: 'task_created', taskId };
  } catch (error) {
    if (error instanceof HubSpotRequestError && error.status === 403) return { outcome: 'no_scope', detail: error.message };
    if (error instanceof HubSpotRequestError || error instanceof HubSpotDisconnectedError) return { outcome: 'failed', detail: error.message };
    throw error;
  }
}

async function settle(db: Pick<Database, 'pool'>, portalId: number, reminder: TakenReminder, settled: Settled): Promise<void> {
  await db.pool.query(
    `WITH reminder AS (
       UPDATE expiry_reminders SET outcome = $3, task_id = $4, detail = $5, sent_at = now()
       WHERE registration_id = $1 AND days_before = $2 AND outcome = 'sending'
       RETURNING registration_id
     )
     INSERT INTO audit_events (portal_id, action, actor, registration_id, domain, contact_id, details)
     SELECT $6, 'expiry_reminder_sent', $7, $1, $8, $9,
            jsonb_strip_nulls(jsonb_build_object('daysBefore', $2::int, 'expiresAt', $10::timestamptz, 'outcome', $3::text, 'taskId', $4::text, 'detail', $5::text))
     FROM reminder`,
    [
      reminder.registration_id,
      reminder.days_before,
      settled.outcome,
      settled.taskId ?? null,
      settled.detail ?? null,
      portalId,
      EXPIRY_ACTOR,
      reminder.domain,
      reminder.contact_id,
      reminder.expires_at,
    ],
  );
}
