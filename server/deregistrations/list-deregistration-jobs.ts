// Deregistration jobs, newest first, for the operator (all portals or one) and a portal's history.
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { deregistrationJobColumns, deregistrationJobView, type DeregistrationJobRow, type DeregistrationJobView } from './deregistration-job-view.js';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface ListDeregistrationJobsInput {
  portalId?: number;
  status?: JobStatus;
  /** 1 to 500, default 50. */
  limit?: number;
}

export async function listDeregistrationJobs(db: Database, input: ListDeregistrationJobsInput = {}): Promise<DeregistrationJobView[]> {
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new RangeError('limit must be a whole number from 1 to 500');
  const conditions = [
    input.portalId !== undefined ? Prisma.sql`portal_id = ${BigInt(input.portalId)}` : null,
    input.status ? Prisma.sql`status = ${input.status}::deregistration_job_status` : null,
  ].filter((condition): condition is Prisma.Sql => condition !== null);
  const rows = await db.$queryRaw<DeregistrationJobRow[]>`
    SELECT ${Prisma.raw(deregistrationJobColumns())} FROM deregistration_jobs
    ${conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
    ORDER BY created_at DESC, id LIMIT ${limit}`;
  return rows.map((row) => deregistrationJobView(row));
}
