// Ends a portal's contact backfill as failed, with the reason a person can act on (the install
// was revoked, HubSpot refused the read). The sweeper resumes only pending and running
// backfills, so a failed one stays so until the next install starts it again.
import type { Database } from '../db/client.js';

export async function recordBackfillFailure(db: Pick<Database, 'pool'>, { portalId, reason }: { portalId: number; reason: string }): Promise<void> {
  await db.pool.query(
    `UPDATE contact_backfills SET status = 'failed', error = $2, finished_at = now(), updated_at = now()
     WHERE portal_id = $1 AND status IN ('pending', 'running')`,
    [portalId, reason],
  );
}
