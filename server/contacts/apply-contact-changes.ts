// Applies changes HubSpot reported (contacts read from HubSpot, by the backfill) to the contact
// mirror, with the newest-value-wins rule of mirror-merge.ts, under the contacts' row locks.
//
// A whole batch is one transaction of a few statements, whatever its size (contact-mirror-store.ts).
// Webhook jobs plan their changes themselves (webhooks/plan-webhook-events.ts) and use the same store.
import { withTransaction, type Database } from '../db/client.js';
import { applyMirrorChange } from './contact-mirror.js';
import { lockContactMirrors, writeContactMirrors } from './contact-mirror-store.js';
import type { MirrorUpdate } from './mirror-merge.js';

export interface ApplyContactChangesInput {
  portalId: number;
  /** In the order HubSpot reported them. */
  changes: Array<{ contactId: string; update: MirrorUpdate }>;
}

/** Applies one portal's changes in the order given; for each, the properties whose value it took. */
export async function applyContactChanges(deps: { db: Pick<Database, 'pool'> }, input: ApplyContactChangesInput): Promise<string[][]> {
  const { portalId, changes } = input;
  if (changes.length === 0) return [];
  return withTransaction(deps.db, async (sql) => {
    const mirrors = await lockContactMirrors(
      sql,
      portalId,
      changes.map((change) => change.contactId),
    );
    const applied = changes.map((change) => {
      const result = applyMirrorChange(mirrors.get(change.contactId)!, { update: change.update });
      mirrors.set(change.contactId, result.mirror);
      return result.applied;
    });
    // Every locked row is written: even a change too old to take a value is evidence of an untick.
    await writeContactMirrors(sql, portalId, mirrors);
    return applied;
  });
}
