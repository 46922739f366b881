// Conflicts: domains more than one partner holds. They exist only from before exclusive claims
// (shared mode, or an upgrade): switching to exclusive never deregisters anything by itself.
// Registration already refuses a conflicted domain to everyone else (program-claims.ts); the
// operator resolves each conflict by keeping one partner — the earliest registration, or a chosen
// partner — and the others' registrations end through the usual deregistration path (channel
// conflict_resolution), so their contacts are written back, their capacity freed and a waitlist,
// if any, is never served while a holder remains.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { enqueueStep, stepJobId } from '../deregistrations/deregistration-queue.js';
import { recordDeregistrationJob } from '../deregistrations/request-deregistration.js';
import { displayDomain, registrableDomainOf } from '../domain/registrable-domain.js';
import { LOCK_DOMAINS_ALWAYS } from '../registrations/program-claims.js';
import { AppError } from '../errors/app-error.js';
import type { AppQueues } from '../queue/queues.js';

export interface ConflictHolder {
  portalId: number;
  portalName: string | null;
  registrationId: string;
  registeredAt: string;
  contactId: string;
}

export interface ClaimConflict {
  domain: string;
  displayDomain: string;
  /** Earliest registration first. */
  holders: ConflictHolder[];
}

interface HolderRow {
  domain: string;
  portal_id: bigint;
  portal_name: string | null;
  registration_id: string;
  registered_at: Date;
  contact_id: string;
}

function conflictsOf(rows: HolderRow[]): ClaimConflict[] {
  const byDomain = new Map<string, ClaimConflict>();
  for (const row of rows) {
    const conflict = byDomain.get(row.domain) ?? { domain: row.domain, displayDomain: displayDomain(row.domain), holders: [] };
    conflict.holders.push({
      portalId: Number(row.portal_id),
      portalName: row.portal_name,
      registrationId: row.registration_id,
      registeredAt: row.registered_at.toISOString(),
      contactId: row.contact_id,
    });
    byDomain.set(row.domain, conflict);
  }
  return [...byDomain.values()];
}

// A holder whose registration an unfinished conflict resolution is ending is a holder no more:
// the conflict leaves the list (and cannot be resolved twice) as soon as it is resolved, not
// when its deregistration jobs have run. Unfinished jobs are few, and their items are read by
// job id, so this costs little.
const RELEASING = `SELECT i.registration_id FROM deregistration_jobs j JOIN deregistration_job_items i ON i.job_id = j.id
  WHERE j.finished_at IS NULL AND j.channel = 'conflict_resolution'`;
const HELD = `status = 'active' AND id NOT IN (${RELEASING})`;
const CONFLICTED_DOMAINS = `SELECT domain FROM registrations WHERE ${HELD} GROUP BY domain HAVING count(*) > 1`;

const HOLDERS = `SELECT r.domain, r.portal_id, p.name AS portal_name, r.id::text AS registration_id, r.registered_at, r.contact_id
  FROM registrations r JOIN portals p ON p.id = r.portal_id
  WHERE r.status = 'active' AND r.id NOT IN (${RELEASING})`;

/** Conflicted domains in domain order, at most `limit`. */
export async function listClaimConflicts(db: Pick<Database, 'pool'>, { limit = 1000 }: { limit?: number } = {}): Promise<ClaimConflict[]> {
  const { rows } = await db.pool.query<HolderRow>(
    `${HOLDERS} AND r.domain IN (${CONFLICTED_DOMAINS} ORDER BY domain LIMIT $1)
     ORDER BY r.domain, r.registered_at, r.id`,
    [limit],
  );
  return conflictsOf(rows);
}

function noConflict(domain: string): AppError {
  return new AppError({
    kind: 'not_found',
    code: 'NO_CONFLICT',
    message: `${displayDomain(domain)} is not held by more than one partner; there is nothing to resolve. \`program conflicts\` lists the conflicts.`,
  });
}

export type KeepWhom = { kind: 'earliest' } | { kind: 'portal'; portalId: number };

export interface ConflictResolution {
  domain: string;
  kept: ConflictHolder;
  /** The partners whose registration ends, with the deregistration job that ends it. */
  released: Array<ConflictHolder & { jobId: string }>;
}

/** Keeps one holder of a conflicted domain and ends the others' registrations; audited. */
export async function resolveClaimConflict(
  deps: { db: Database; queues: Pick<AppQueues, 'deregistrations'> },
  { domain: given, keep, actor }: { domain: string; keep: KeepWhom; actor: string },
): Promise<ConflictResolution> {
  const parsed = registrableDomainOf(given);
  if (!parsed.ok) throw new AppError({ kind: 'invalid', code: 'INVALID_DOMAIN', message: `"${given}" is not a domain: ${parsed.reason}.` });
  const { rows } = await deps.db.pool.query<HolderRow>(`${HOLDERS} AND r.domain = $1 ORDER BY r.registered_at, r.id`, [parsed.domain]);
  const [conflict] = conflictsOf(rows);
  if (!conflict || conflict.holders.length < 2) throw noConflict(parsed.domain);
  const kept = keep.kind === 'earliest' ? conflict.holders[0]! : conflict.holders.find((holder) => holder.portalId === keep.portalId);
  if (!kept) {
    const holders = conflict.holders.map((holder) => holder.portalId).join(', ');
    throw new AppError({
      kind: 'invalid',
      code: 'NOT_A_HOLDER',
      message: `Portal ${(keep as { portalId: number }).portalId} does not hold ${conflict.displayDomain}; its holders are ${holders}.`,
    });
  }

  // One transaction under the domain's program-wide lock: the holders are read again after the
  // lock, so two operators resolving the same domain at once (keeping different partners) cannot
  // both release a holder; the first wins and the second finds no conflict left. One
  // deregistration job per released partner (the usual, resumable job: written back, capacity
  // freed, audited in that portal's trail) and the program's audit row commit together, so a
  // crash leaves either the whole resolution or none of it. The jobs' first steps are queued
  // after the commit (the sweeper queues any that Redis did not take).
  const queuePrefix = deps.queues.deregistrations.opts.prefix ?? null;
  const released = await deps.db.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(LOCK_DOMAINS_ALWAYS.text, [conflict.domain]);
    const current = await tx.$queryRawUnsafe<HolderRow[]>(`${HOLDERS} AND r.domain = $1 ORDER BY r.registered_at, r.id`, conflict.domain);
    const stillHeld = new Set(current.map((row) => row.registration_id));
    if (current.length < 2 || !stillHeld.has(kept.registrationId)) throw noConflict(conflict.domain);
    const releasing: ConflictResolution['released'] = [];
    for (const holder of conflict.holders) {
      if (holder === kept || !stillHeld.has(holder.registrationId)) continue;
      const jobId = randomUUID();
      const queueJobId = stepJobId(jobId, 0);
      await recordDeregistrationJob(tx, {
        portalId: holder.portalId,
        selection: { kind: 'registrations', registrationIds: [holder.registrationId] },
        requestedBy: actor,
        channel: 'conflict_resolution',
        jobId,
        queueJobId,
        queuePrefix,
      });
      releasing.push({ ...holder, jobId });
    }
    await tx.programAuditEvent.create({
      data: {
        action: 'conflict_resolved',
        actor,
        details: {
          domain: conflict.domain,
          keep: keep.kind,
          keptPortalId: kept.portalId,
          keptRegistrationId: kept.registrationId,
          released: releasing.map(({ portalId, registrationId, jobId }) => ({ portalId, registrationId, jobId })),
        },
      },
    });
    return releasing;
  });
  for (const { portalId, jobId } of released) await enqueueStep(deps.queues, { deregistrationJobId: jobId, portalId, queueJobId: stepJobId(jobId, 0) });
  return { domain: conflict.domain, kept, released };
}

/**
 * "Keep the earliest for all": resolves up to `limit` conflicts (one request's worth) and says
 * how many are left for the next call. A conflict someone resolved meanwhile is skipped, not an
 * error.
 */
export async function resolveClaimConflictsKeepingEarliest(
  deps: { db: Database; queues: Pick<AppQueues, 'deregistrations'> },
  { actor, limit }: { actor: string; limit: number },
): Promise<{ resolved: ConflictResolution[]; remaining: number }> {
  const resolved: ConflictResolution[] = [];
  for (const conflict of await listClaimConflicts(deps.db, { limit })) {
    try {
      resolved.push(await resolveClaimConflict(deps, { domain: conflict.domain, keep: { kind: 'earliest' }, actor }));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'NO_CONFLICT')) throw error;
    }
  }
  return { resolved, remaining: await countClaimConflicts(deps.db) };
}

/** How many domains are held by more than one partner. */
export async function countClaimConflicts(db: Pick<Database, 'pool'>): Promise<number> {
  const { rows } = await db.pool.query<{ conflicts: number }>(`SELECT count(*)::int AS conflicts FROM (${CONFLICTED_DOMAINS}) AS conflicted`);
  return rows[0]!.conflicts;
}
