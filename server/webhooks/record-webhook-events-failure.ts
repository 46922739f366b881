// Ends inbox events whose processing cannot succeed however often it is tried (HubSpot refused
// the read, the install is gone): they are marked processed with the reason as their outcome,
// so the sweeper leaves them and the record says why nothing came of them.
import type { Database } from '../db/client.js';

/** How many events it ended (those another job had already processed are left as they are). */
export async function recordWebhookEventsFailure(db: Pick<Database, 'pool'>, { eventIds, reason }: { eventIds: string[]; reason: string }): Promise<number> {
  const { rowCount } = await db.pool.query(`UPDATE webhook_events SET processed_at = now(), outcome = $2 WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`, [
    eventIds,
    `failed: ${reason}`,
  ]);
  return rowCount ?? 0;
}
