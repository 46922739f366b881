// Stores a verified webhook batch in the inbox, in one statement. Each event is kept as sent,
// beside what the receiver made of it (webhook-event.ts): its identity, its contact type, and
// for an event decided at the door (ignored, unparsed) its outcome, so that processing never
// sees it. An event HubSpot delivered before (retries and duplicates happen) is skipped by one
// of the inbox's unique keys: (portal, subscription, event id, occurredAt), or for an unparsed
// event, whose identity may be incomplete, the hash of its content without `attemptNumber` (the
// one field a retry changes). The events new to the inbox come back, and which of them to queue.
import type { Database } from '../db/client.js';
import type { InboxEntry } from './webhook-event.js';

export interface StoredBatch {
  /** Events new to the inbox, decided at the door or not. */
  stored: number;
  /** Events new to the inbox that wait for processing. */
  toProcess: string[];
}

/**
 * `batchJson` is the request body exactly as HubSpot sent it, already verified: a JSON array
 * whose n-th element `entries[n]` describes. PostgreSQL parses it once more, and each event is
 * kept as sent.
 */
export async function storeWebhookBatch(db: Pick<Database, 'pool'>, batchJson: string, entries: InboxEntry[], queuePrefix: string): Promise<StoredBatch> {
  if (entries.length === 0) return { stored: 0, toProcess: [] };
  const { rows } = await db.pool.query<{ id: string; decided: boolean }>({
    // Prepared once per connection: its plan (function scans into an insert) cannot depend on
    // the tables' size, and planning it was PostgreSQL's work on every batch.
    name: 'webhook-batch-insert',
    text: `INSERT INTO webhook_events (portal_id, subscription_id, event_id, occurred_at, subscription_type, object_id, payload, raw_hash, processed_at, outcome, queue_prefix)
     SELECT entry."portalId", entry."subscriptionId", entry."eventId", to_timestamp(entry."occurredAt" / 1000.0), entry."subscriptionType", entry."objectId", sent.event,
            CASE WHEN entry.unparsed THEN sha256(convert_to((sent.event - 'attemptNumber')::text, 'UTF8')) END,
            CASE WHEN entry.outcome IS NOT NULL THEN now() END, entry.outcome, $3
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS sent(event, position)
     JOIN ROWS FROM (json_to_recordset($2::json) AS ("portalId" bigint, "subscriptionId" bigint, "eventId" bigint, "occurredAt" bigint,
                                                     "subscriptionType" text, "objectId" text, outcome text, unparsed boolean))
          WITH ORDINALITY AS entry("portalId", "subscriptionId", "eventId", "occurredAt", "subscriptionType", "objectId", outcome, unparsed, position)
          USING (position)
     ORDER BY position
     ON CONFLICT DO NOTHING
     RETURNING id::text, processed_at IS NOT NULL AS decided`,
    // The entries as one JSON text (JSON.stringify, native): as nine array parameters, pg's
    // array literals (a string concatenation per element) made 41% of everything the receiver
    // allocated, and the garbage collections that set its p99 (bench/webhook-ingest.bench.ts).
    values: [batchJson, JSON.stringify(entries), queuePrefix],
  });
  return { stored: rows.length, toProcess: rows.filter((row) => !row.decided).map((row) => row.id) };
}
