// The operator may name a deregistration job by the short id the Capacity Manager shows (its
// first 8 characters) or any unique prefix of its id, as with git commits.
//
// A prefix of a UUID is a range of UUIDs: from the prefix padded with 0s to the prefix padded
// with fs. Asking for that range uses the primary key's index, where `id::text LIKE 'ab12%'`
// would read every job.
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { deregistrationJobColumns, deregistrationJobView, type DeregistrationJobRow, type DeregistrationJobView } from '../deregistrations/deregistration-job-view.js';
import { AppError } from '../errors/app-error.js';

/** Fewer characters would match too many jobs to be worth typing. */
export const MIN_PREFIX_LENGTH = 4;
/** How many of the jobs an ambiguous prefix matches are listed. */
const MAX_LISTED = 10;

const asUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export type JobIdResolution = { kind: 'one'; jobId: string } | { kind: 'none' } | { kind: 'several'; jobs: DeregistrationJobView[]; more: boolean };

/** The job a full id or a unique prefix names; `several` lists (up to 10 of) the jobs an ambiguous prefix matches. */
export async function resolveJobId(db: Database, given: string): Promise<JobIdResolution> {
  const hex = given.trim().toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]+$/.test(hex) || hex.length < MIN_PREFIX_LENGTH || hex.length > 32) {
    throw new AppError({
      kind: 'invalid',
      code: 'INVALID_JOB_ID',
      message: `"${given}" is not a job id. Give the job's id or at least its first ${MIN_PREFIX_LENGTH} characters (the Capacity Manager shows the first 8), e.g. 3f2a9c1e.`,
    });
  }
  const rows = await db.$queryRaw<DeregistrationJobRow[]>`
    SELECT ${Prisma.raw(deregistrationJobColumns())} FROM deregistration_jobs
    WHERE id BETWEEN ${asUuid(hex.padEnd(32, '0'))}::uuid AND ${asUuid(hex.padEnd(32, 'f'))}::uuid
    ORDER BY created_at DESC, id LIMIT ${MAX_LISTED + 1}`;
  if (rows.length === 0) return { kind: 'none' };
  if (rows.length === 1) return { kind: 'one', jobId: rows[0]!.id };
  return { kind: 'several', jobs: rows.slice(0, MAX_LISTED).map((row) => deregistrationJobView(row)), more: rows.length > MAX_LISTED };
}
