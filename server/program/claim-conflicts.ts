// Conflicts: domains more than one partner holds. They exist only from before exclusive claims
// (shared mode, or an upgrade): switching to exclusive never deregisters anything by itself.
// Registration already refuses a conflicted domain to everyone else (program-claims.ts); the
// operator resolves each conflict by keeping one partner — the earliest registration, or a chosen
// partner — and the others' registrations end through the usual deregistration path (channel
// conflict_resolution), so their contacts are written back, their capacity freed and a waitlist,
// if any, is never served while a holder remains.
import type { Database } from '../db/client.js';
import { displayDomain, registrableDomainOf } from '../domain/registrable-domain.js';
import { requestDeregistration } from '../deregistrations/request-deregistration.js';
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

const HOLDERS = `SELECT r.domain, r.portal_id, p.name AS portal_name, r.id::text AS registration_id, r.registered_at, r.contact_id
  FROM registrations r JOIN portals p ON p.id = r.portal_id
  WHERE r.status = 'active'`;

/** Conflicted domains in domain order, at most `limit`. */
export async function listClaimConflicts(db: Pick<Database, 'pool'>, { limit = 1000 }: { limit?: number } = {}): Promise<ClaimConflict[]> {
  const { rows } = await db.pool.query<HolderRow>(
    `${HOLDERS} AND r.domain IN (SELECT domain FROM registrations WHERE status = 'active' GROUP BY domain HAVING count(*) > 1 ORDER BY domain LIMIT $1)
     ORDER BY r.domain, r.registered_at, r.id`,
    [limit],
  );
  return conflictsOf(rows);
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
  if (!conflict || conflict.holders.length < 2) {
    throw new AppError({
      kind: 'not_found',
      code: 'NO_CONFLICT',
      message: `${displayDomain(parsed.domain)} is not held by more than one partner; there is nothing to resolve. \`program conflicts\` lists the conflicts.`,
    });
  }
  const kept = keep.kind === 'earliest' ? conflict.holders[0]! : conflict.holders.find((holder) => holder.portalId === keep.portalId);
  if (!kept) {
    const holders = conflict.holders.map((holder) => holder.portalId).join(', ');
    throw new AppError({
      kind: 'invalid',
      code: 'NOT_A_HOLDER',
      message: `Portal ${(keep as { portalId: number }).portalId} does not hold ${conflict.displayDomain}; its holders are ${holders}.`,
    });
  }

  // One deregistration job per released partner: each is the usual, resumable job (written back,
  // capacity freed, audited in that portal's trail). A crash between two leaves the conflict
  // listed with fewer holders, and resolving it again finishes it.
  const released: ConflictResolution['released'] = [];
  for (const holder of conflict.holders) {
    if (holder === kept) continue;
    const { job } = await requestDeregistration(deps, {
      portalId: holder.portalId,
      selection: { kind: 'registrations', registrationIds: [holder.registrationId] },
      requestedBy: actor,
      channel: 'conflict_resolution',
    });
    released.push({ ...holder, jobId: job.id });
  }
  await deps.db.programAuditEvent.create({
    data: {
      action: 'conflict_resolved',
      actor,
      details: {
        domain: conflict.domain,
        keep: keep.kind,
        keptPortalId: kept.portalId,
        keptRegistrationId: kept.registrationId,
        released: released.map(({ portalId, registrationId, jobId }) => ({ portalId, registrationId, jobId })),
      },
    },
  });
  return { domain: conflict.domain, kept, released };
}
