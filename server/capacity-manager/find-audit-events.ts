// The audit trail of one portal, newest first: who registered, refused, deregistered or changed
// what. Pages are read from the (portal_id, occurred_at) index; instead of a total (a count over
// a long history costs more than the page), each page says whether there is a next one.
import type { Database } from '../db/client.js';
import { MAX_AUDIT_PAGE_SIZE, type AuditEventPageAnswer } from './capacity-manager-contract.js';

export interface FindAuditEventsInput {
  portalId: number;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export async function findAuditEvents(db: Database, { portalId, page = 1, pageSize = 50 }: FindAuditEventsInput): Promise<AuditEventPageAnswer> {
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_AUDIT_PAGE_SIZE) {
    throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}`);
  }
  const rows = await db.auditEvent.findMany({
    where: { portalId: BigInt(portalId) },
    orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
  });
  return {
    items: rows.slice(0, pageSize).map((row) => ({
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
    })),
    page,
    pageSize,
    hasNextPage: rows.length > pageSize,
  };
}
