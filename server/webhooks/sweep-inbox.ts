// The sweeper: puts back on the queues whatever PostgreSQL says is still to do, for when Redis
// lost it (a restart, a failed enqueue) — inbox events not processed, write-backs not sent,
// backfills not finished. Queue jobs are deduplicated, so sweeping work that is merely waiting
// adds nothing. Only this deployment's work (its REDIS_KEY_PREFIX) is swept: deployments that
// share a database (test runs do) never take over each other's.
import type { Database } from '../db/client.js';
import { enqueueWriteBackFlush } from '../hubspot/write-back.js';
import type { AppQueues } from '../queue/queues.js';
import { enqueueWebhookEvents } from './enqueue-webhook-events.js';

export interface SweepReport {
  events: number;
  writeBackPortals: number;
  backfills: number;
}

const MAX_EVENTS_PER_SWEEP = 10_000;

export async function sweepPendingWork(deps: { db: Database; queues: AppQueues }, { olderThanMs }: { olderThanMs: number }): Promise<SweepReport> {
  const { rows: events } = await deps.db.pool.query<{ id: string }>(
    `SELECT id::text FROM webhook_events
     WHERE processed_at IS NULL AND received_at < now() - make_interval(secs => $1 / 1000.0) AND queue_prefix = $2
     ORDER BY received_at, id LIMIT ${MAX_EVENTS_PER_SWEEP}`,
    [olderThanMs, deps.queues.prefix],
  );
  await enqueueWebhookEvents(
    deps.queues,
    events.map((event) => event.id),
  );

  const { rows: portals } = await deps.db.pool.query<{ portal_id: string }>(
    `SELECT DISTINCT portal_id::text FROM contact_write_backs
     WHERE updated_at < now() - make_interval(secs => $1 / 1000.0) AND queue_prefix = $2 AND not_in_hubspot_at IS NULL`,
    [olderThanMs, deps.queues.prefix],
  );
  for (const { portal_id } of portals) await enqueueWriteBackFlush(deps.queues, Number(portal_id));

  const backfills = await deps.db.contactBackfill.findMany({
    where: { status: { in: ['pending', 'running'] }, updatedAt: { lt: new Date(Date.now() - olderThanMs) }, queuePrefix: deps.queues.prefix },
    select: { portalId: true },
  });
  for (const { portalId } of backfills) {
    await deps.queues.contactBackfill.add('backfill', { portalId: Number(portalId) }, { deduplication: { id: `backfill-${portalId}` } });
  }
  return { events: events.length, writeBackPortals: portals.length, backfills: backfills.length };
}
