// What is waiting or stuck in the app's durable work, for the console's Jobs view: the webhook
// inbox (events not processed yet, and those whose processing failed for good, with the
// reason), the write-back outbox (contact properties not yet sent to HubSpot, and those HubSpot
// refused), and the contact backfills that are not completed.
//
// Each number is read from an index: webhook_events_unprocessed_idx and
// webhook_events_failed_idx (partial), the outbox's primary key, contact_backfills (one row per
// portal). Failures are listed newest first, at most RECENT of each.
import type { Database } from '../db/client.js';
import type { BacklogAnswer } from './console-contract.js';

const RECENT = 20;

export async function getBacklog(db: Pick<Database, 'pool'>): Promise<BacklogAnswer> {
  const [inbox, inboxFailures, outbox, outboxFailures, backfills] = await Promise.all([
    db.pool.query<{ pending: string; oldest: Date | null; failed: string }>(
      `SELECT (SELECT count(*) FROM webhook_events WHERE processed_at IS NULL) AS pending,
              (SELECT min(received_at) FROM webhook_events WHERE processed_at IS NULL) AS oldest,
              (SELECT count(*) FROM webhook_events WHERE outcome LIKE 'failed:%') AS failed`,
    ),
    db.pool.query<{ id: string; portal_id: string | null; received_at: Date; outcome: string }>(
      `SELECT id::text, portal_id::text, received_at, outcome FROM webhook_events WHERE outcome LIKE 'failed:%' ORDER BY received_at DESC LIMIT ${RECENT}`,
    ),
    db.pool.query<{ pending: string; oldest: Date | null; failing: string }>(
      `SELECT count(*) FILTER (WHERE not_in_hubspot_at IS NULL) AS pending,
              min(updated_at) FILTER (WHERE not_in_hubspot_at IS NULL) AS oldest,
              count(*) FILTER (WHERE last_error IS NOT NULL AND not_in_hubspot_at IS NULL) AS failing
       FROM contact_write_backs`,
    ),
    db.pool.query<{ portal_id: string; contact_id: string; attempts: number; last_error: string; updated_at: Date }>(
      `SELECT portal_id::text, contact_id, attempts, last_error, updated_at FROM contact_write_backs
       WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT ${RECENT}`,
    ),
    db.pool.query<{
      portal_id: string;
      status: 'pending' | 'running' | 'completed' | 'failed';
      contacts_synced: number;
      started_at: Date | null;
      finished_at: Date | null;
      error: string | null;
    }>(
      `SELECT portal_id::text, status::text, contacts_synced, started_at, finished_at, error FROM contact_backfills
       WHERE status <> 'completed' ORDER BY updated_at DESC LIMIT 100`,
    ),
  ]);
  const inboxCounts = inbox.rows[0]!;
  const outboxCounts = outbox.rows[0]!;
  return {
    webhookInbox: {
      pending: Number(inboxCounts.pending),
      oldestPendingAt: inboxCounts.oldest?.toISOString() ?? null,
      failed: Number(inboxCounts.failed),
      recentFailures: inboxFailures.rows.map((row) => ({
        id: row.id,
        portalId: row.portal_id === null ? null : Number(row.portal_id),
        receivedAt: row.received_at.toISOString(),
        reason: row.outcome.replace(/^failed:\s*/, ''),
      })),
    },
    writeBacks: {
      pending: Number(outboxCounts.pending),
      oldestPendingAt: outboxCounts.oldest?.toISOString() ?? null,
      failing: Number(outboxCounts.failing),
      recentFailures: outboxFailures.rows.map((row) => ({
        portalId: Number(row.portal_id),
        contactId: row.contact_id,
        attempts: row.attempts,
        lastError: row.last_error,
        updatedAt: row.updated_at.toISOString(),
      })),
    },
    backfills: backfills.rows.map((row) => ({
      portalId: Number(row.portal_id),
      status: row.status,
      contactsSynced: row.contacts_synced,
      startedAt: row.started_at?.toISOString() ?? null,
      finishedAt: row.finished_at?.toISOString() ?? null,
      error: row.error,
    })),
  };
}
