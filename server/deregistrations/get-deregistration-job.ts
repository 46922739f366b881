// A portal's deregistration job, with its progress: read from PostgreSQL, where the workers
// count each chunk in the same transaction that finishes it. Another portal's job, or an id
// that is not a job id at all, reads as null (the caller says "not found" either way).
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { deregistrationJobColumns, deregistrationJobView, type DeregistrationJobRow, type DeregistrationJobView } from './deregistration-job-view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isJobId(value: string): boolean {
  return UUID.test(value);
}

export async function getDeregistrationJob(db: Database, { portalId, jobId }: { portalId: number; jobId: string }): Promise<DeregistrationJobView | null> {
  if (!isJobId(jobId) || !Number.isSafeInteger(portalId)) return null;
  const [row] = await db.$queryRaw<DeregistrationJobRow[]>`
    SELECT ${Prisma.raw(deregistrationJobColumns())} FROM deregistration_jobs
    WHERE id = ${jobId}::uuid AND portal_id = ${BigInt(portalId)}`;
  return row ? deregistrationJobView(row) : null;
}
