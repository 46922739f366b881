// Copies every contact of a portal from HubSpot into the mirror, page by page, after install.
//
// The cursor (HubSpot's `after`) is saved with each page, so a worker that restarts resumes
// where the last one stopped; progress is the number of contacts synced so far. Pages are read
// in the 'sync' lane of the portal's rate limit, so the card keeps its headroom. The mirror's
// newest-wins rule makes re-reading a page harmless.
import type { Database } from '../db/client.js';
import { CONTACT_PROPERTIES_READ } from '../hubspot/app-properties.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import type { AppQueues } from '../queue/queues.js';
import { applyContactChanges } from './apply-contact-changes.js';
import { updateFromRecord } from './change-from-record.js';

export interface BackfillProgress {
  contactsSynced: number;
  completed: boolean;
}

const PAGE_SIZE = 100;

/** Records that a backfill is wanted and queues it (once per portal at a time). */
export async function startContactBackfill(deps: { db: Database; queues: Pick<AppQueues, 'contactBackfill' | 'prefix'> }, portalId: number): Promise<void> {
  const queuePrefix = deps.queues.prefix;
  await deps.db.contactBackfill.upsert({
    where: { portalId: BigInt(portalId) },
    create: { portalId: BigInt(portalId), queuePrefix },
    update: { status: 'pending', after: null, contactsSynced: 0, startedAt: null, finishedAt: null, error: null, updatedAt: new Date(), queuePrefix },
  });
  await deps.queues.contactBackfill.add('backfill', { portalId }, { deduplication: { id: `backfill-${portalId}` } });
}

export async function backfillContacts(
  deps: { db: Database; hubspot: Pick<HubSpot, 'api'> },
  portalId: number,
  onProgress: (progress: BackfillProgress) => Promise<void> | void = () => {},
): Promise<BackfillProgress> {
  const id = BigInt(portalId);
  let state = await deps.db.contactBackfill.findUnique({ where: { portalId: id } });
  if (!state || state.status === 'completed') return { contactsSynced: state?.contactsSynced ?? 0, completed: true };
  state = await deps.db.contactBackfill.update({ where: { portalId: id }, data: { status: 'running', startedAt: state.startedAt ?? new Date(), updatedAt: new Date() } });

  const api = deps.hubspot.api.forPortal(portalId, 'sync');
  let after = state.after ?? undefined;
  let synced = state.contactsSynced;
  for (;;) {
    const page = await api.listContacts({ after, limit: PAGE_SIZE, properties: CONTACT_PROPERTIES_READ });
    await applyContactChanges(deps, { portalId, changes: page.contacts.map((record) => ({ contactId: record.id, update: updateFromRecord(record) })) });
    synced += page.contacts.length;
    const completed = page.after === null;
    await deps.db.contactBackfill.update({
      where: { portalId: id },
      data: { after: page.after, contactsSynced: synced, updatedAt: new Date(), ...(completed ? { status: 'completed', finishedAt: new Date() } : {}) },
    });
    await onProgress({ contactsSynced: synced, completed });
    if (completed) return { contactsSynced: synced, completed };
    after = page.after ?? undefined;
  }
}
