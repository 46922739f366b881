// Everything the operator needs to know about one job: its view, where its chunks are, what
// happened to its items and contacts, and the items that had a problem (a contact HubSpot no
// longer has or refused), whatever portal it belongs to.
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { deregistrationJobColumns, deregistrationJobView, type DeregistrationJobRow, type DeregistrationJobView } from './deregistration-job-view.js';
import { isJobId } from './get-deregistration-job.js';

export interface DeregistrationJobDetails {
  job: DeregistrationJobView;
  selection: unknown;
  chunks: Record<'pending' | 'deregistered' | 'written', number>;
  items: Record<'pending' | 'deregistered' | 'skipped', number>;
  contacts: Record<'pending' | 'written' | 'missing' | 'failed' | 'not_needed', number>;
  /** Up to 100 items whose contact could not be updated. */
  problems: Array<{ domain: string; contactId: string; contactUpdate: string; error: string | null }>;
}

export async function describeDeregistrationJob(db: Database, { jobId }: { jobId: string }): Promise<DeregistrationJobDetails | null> {
  if (!isJobId(jobId)) return null;
  const [row] = await db.$queryRaw<(DeregistrationJobRow & { selection: unknown })[]>`
    SELECT ${Prisma.raw(deregistrationJobColumns())}, selection FROM deregistration_jobs WHERE id = ${jobId}::uuid`;
  if (!row) return null;
  const chunkCounts = await db.$queryRaw<{ key: string; n: number }[]>`
    SELECT state::text AS key, count(*)::int AS n FROM deregistration_job_chunks WHERE job_id = ${jobId}::uuid GROUP BY state`;
  const itemCounts = await db.$queryRaw<{ outcome: string; contact_update: string; n: number }[]>`
    SELECT outcome::text, contact_update::text, count(*)::int AS n FROM deregistration_job_items WHERE job_id = ${jobId}::uuid GROUP BY 1, 2`;
  const problems = await db.$queryRaw<{ domain: string; contactId: string; contactUpdate: string; error: string | null }[]>`
    SELECT domain, contact_id AS "contactId", contact_update::text AS "contactUpdate", contact_error AS error
    FROM deregistration_job_items WHERE job_id = ${jobId}::uuid AND contact_update IN ('missing', 'failed')
    ORDER BY position LIMIT 100`;

  const chunks = { pending: 0, deregistered: 0, written: 0 };
  for (const { key, n } of chunkCounts) chunks[key as keyof typeof chunks] = n;
  const items = { pending: 0, deregistered: 0, skipped: 0 };
  const contacts = { pending: 0, written: 0, missing: 0, failed: 0, not_needed: 0 };
  for (const count of itemCounts) {
    items[count.outcome as keyof typeof items] += count.n;
    contacts[count.contact_update as keyof typeof contacts] += count.n;
  }
  return { job: deregistrationJobView(row), selection: row.selection, chunks, items, contacts, problems };
}
