// The audit trail of one portal, newest first: who registered, refused, deregistered or changed
// what, optionally only one action, one actor (part of the name, any case) and a time span.
// Pages are read from the (portal_id, occurred_at) index, which also bounds a time span; action
// and actor are checked on those rows. Instead of a total (a count over a long history costs more
// than the page), each page says whether there is a next one.
import type { Database } from '../db/client.js';
import type { AuditAction, Prisma } from '../db/generated/client.js';
import { MAX_AUDIT_PAGE_SIZE, type AuditEventAnswer, type AuditEventPageAnswer } from './capacity-manager-contract.js';

export interface AuditEventFilter {
  portalId: number;
  action?: AuditAction;
  /** Part of the actor's name or e-mail, any case. */
  actor?: string;
  /** ISO instants: from (inclusive), to (exclusive). */
  from?: string;
  to?: string;
}

export interface FindAuditEventsInput extends AuditEventFilter {
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export function auditEventWhere({ portalId, action, actor, from, to }: AuditEventFilter): Prisma.AuditEventWhereInput {
  return {
    portalId: BigInt(portalId),
    ...(action ? { action } : {}),
    ...(actor ? { actor: { contains: actor, mode: 'insensitive' } } : {}),
    ...(from || to ? { occurredAt: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lt: new Date(to) } : {}) } } : {}),
  };
}

export type AuditEventRow = Prisma.AuditEventGetPayload<true>;

export function auditEventView(row: AuditEventRow): AuditEventAnswer {
  return {
    id: row.id.toString(),
    occurredAt: row.occurredAt.toISOString(),
    action: row.action,
    actor: row.actor,
    channel: row.channel,
    registrationId: row.registrationId?.toString() ?? null,
    domain: row.domain,
    contactId: row.contactId,
    jobId: row.jobId,
    details: row.details,
  };
}

export async function findAuditEvents(db: Database, { page = 1, pageSize = 50, ...filter }: FindAuditEventsInput): Promise<AuditEventPageAnswer> {
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_AUDIT_PAGE_SIZE) {
    throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}`);
  }
  const rows = await db.auditEvent.findMany({
    where: auditEventWhere(filter),
    orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
  });
  return {
    items: rows.slice(0, pageSize).map(auditEventView),
    page,
    pageSize,
    hasNextPage: rows.length > pageSize,
  };
}
