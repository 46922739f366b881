// Whether expiry reminders can become tasks in the portal's HubSpot (expiry-reminders.ts), for the
// Capacity Manager's "Expiring soon" view to say so when they cannot.
//
// Two facts, both already in PostgreSQL: the scopes the portal granted at install
// (hubspot_installs.scopes), and what the reminder job last learned from HubSpot — a reminder
// settled `no_scope` after the latest install means HubSpot refused the task even though the
// install listed the scopes (an account whose permissions changed since). A reinstall starts afresh.
import type { Database } from '../db/client.js';
import { REMINDER_TASK_SCOPES } from './expiry-reminders.js';

export interface ReminderTaskAccess {
  /** Reminder tasks can be created in HubSpot for this portal. */
  granted: boolean;
  /** The scopes the portal did not grant (empty when HubSpot refused despite them). */
  missingScopes: string[];
}

export async function getReminderTaskAccess(db: Pick<Database, 'pool'>, { portalId }: { portalId: number }): Promise<ReminderTaskAccess> {
  const { rows } = await db.pool.query<{ scopes: string[]; refused: boolean }>(
    `SELECT i.scopes,
            coalesce((SELECT e.outcome = 'no_scope' FROM expiry_reminders e JOIN registrations r ON r.id = e.registration_id
                      WHERE r.portal_id = i.portal_id AND e.outcome IN ('task_created', 'no_scope') AND e.sent_at > i.installed_at
                      ORDER BY e.sent_at DESC LIMIT 1), false) AS refused
     FROM hubspot_installs i WHERE i.portal_id = $1`,
    [portalId],
  );
  const install = rows[0];
  if (!install) return { granted: false, missingScopes: [...REMINDER_TASK_SCOPES] };
  const missingScopes = REMINDER_TASK_SCOPES.filter((scope) => !install.scopes.includes(scope));
  return { granted: missingScopes.length === 0 && !install.refused, missingScopes };
}
