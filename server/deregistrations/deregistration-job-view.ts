// A deregistration job as the rest of the app sees it (the Capacity Manager's progress, the
// operator API, the CLI): ids as strings, dates as ISO strings, progress as counts.
//
// `done` counts items finished (deregistered, or found already deregistered, and their contact
// written to HubSpot or recorded as not writable); `failed` counts the finished items whose
// contact HubSpot could not update (deleted or merged away, or refused). `undoableUntil` is
// the deadline for undo while it can still be undone, else null.
import type { DeregistrationChannel, DeregistrationJobStatus } from '../db/generated/client.js';

export interface DeregistrationJobView {
  id: string;
  portalId: number;
  status: 'queued' | 'running' | 'completed' | 'failed';
  total: number;
  done: number;
  failed: number;
  requestedBy: string;
  channel: DeregistrationChannel;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  undoableUntil: string | null;
  undoneAt: string | null;
}

/** A finished job can be undone for this long after it finished, by the same portal. */
export const UNDO_WINDOW_MS = 15 * 60 * 1000;

/** A deregistration_jobs row under the Prisma model's names. */
export interface DeregistrationJobRow {
  id: string;
  portalId: bigint | string | number;
  status: DeregistrationJobStatus;
  total: number;
  done: number;
  failed: number;
  requestedBy: string;
  channel: DeregistrationChannel;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  undoneAt: Date | null;
}

/** SQL select list producing a DeregistrationJobRow from deregistration_jobs (or `alias`). */
export function deregistrationJobColumns(alias?: string): string {
  const p = alias ? `${alias}.` : '';
  return `${p}id::text AS "id", ${p}portal_id AS "portalId", ${p}status::text AS "status", ${p}total, ${p}done, ${p}failed,
    ${p}requested_by AS "requestedBy", ${p}channel::text AS "channel", ${p}created_at AS "createdAt", ${p}started_at AS "startedAt",
    ${p}finished_at AS "finishedAt", ${p}error, ${p}undone_at AS "undoneAt"`;
}

/** When the job stops being undoable; null when it cannot be undone at all. */
export function undoDeadline(job: Pick<DeregistrationJobRow, 'status' | 'finishedAt' | 'undoneAt'>): Date | null {
  if (job.undoneAt || !job.finishedAt || (job.status !== 'completed' && job.status !== 'failed')) return null;
  return new Date(job.finishedAt.getTime() + UNDO_WINDOW_MS);
}

export function deregistrationJobView(row: DeregistrationJobRow, now: Date = new Date()): DeregistrationJobView {
  const deadline = undoDeadline(row);
  return {
    id: row.id,
    portalId: Number(row.portalId),
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    requestedBy: row.requestedBy,
    channel: row.channel,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    undoableUntil: deadline && deadline > now ? deadline.toISOString() : null,
    undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}
