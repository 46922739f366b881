// Stores a verified webhook batch in the inbox, in one statement. An event HubSpot delivered
// before (retries and duplicates happen) is skipped by the inbox's unique key; the ids of the
// events new to the inbox come back, for the queue.
import type { Database } from '../db/client.js';

/**
 * `batchJson` is the request body exactly as HubSpot sent it, already verified and validated:
 * PostgreSQL parses it once more, and each event is kept as sent.
 */
export async function storeWebhookBatch(db: Pick<Database, 'pool'>, batchJson: string, eventCount: number, queuePrefix: string): Promise<string[]> {
  if (eventCount === 0) return [];
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO webhook_events (portal_id, subscription_id, event_id, occurred_at, subscription_type, object_id, payload, queue_prefix)
     SELECT (event->>'portalId')::bigint, (event->>'subscriptionId')::bigint, (event->>'eventId')::bigint,
            to_timestamp((event->>'occurredAt')::bigint / 1000.0), event->>'subscriptionType', event->>'objectId', event, $2
     FROM jsonb_array_elements($1::jsonb) AS event
     ON CONFLICT (portal_id, subscription_id, event_id, occurred_at) DO NOTHING
     RETURNING id::text`,
    [batchJson, queuePrefix],
  );
  return rows.map((row) => row.id);
}
