// Export of a portal's audit trail as CSV: every event the filter matches, newest first,
// streamed a thousand at a time (keyset on occurred_at and id, so memory stays flat and no event
// repeats or is skipped while new ones arrive). Cells a spreadsheet would run as a formula are
// escaped: actors and domains come from outside.
import type { Writable } from 'node:stream';
import type { Database } from '../db/client.js';
import { writeCsv } from '../http/csv.js';
import { auditEventView, auditEventWhere, type AuditEventFilter, type AuditEventRow } from './find-audit-events.js';

const BATCH_SIZE = 1000;

export const AUDIT_CSV_COLUMNS = [
  { key: 'occurredAt', header: 'When' },
  { key: 'action', header: 'Action' },
  { key: 'actor', header: 'Actor' },
  { key: 'channel', header: 'Channel' },
  { key: 'domain', header: 'Domain' },
  { key: 'contactId', header: 'HubSpot contact id' },
  { key: 'jobId', header: 'Deregistration job' },
  { key: 'details', header: 'Details (JSON)' },
] as const;

async function* auditRows(db: Database, filter: AuditEventFilter) {
  let after: { occurredAt: Date; id: bigint } | null = null;
  for (;;) {
    const where = auditEventWhere(filter);
    const rows: AuditEventRow[] = await db.auditEvent.findMany({
      where: after ? { AND: [where, { OR: [{ occurredAt: { lt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { lt: after.id } }] }] } : where,
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: BATCH_SIZE,
    });
    for (const row of rows) {
      const view = auditEventView(row);
      yield { ...view, details: view.details === null ? '' : JSON.stringify(view.details) };
    }
    if (rows.length < BATCH_SIZE) return;
    const last = rows.at(-1)!;
    after = { occurredAt: last.occurredAt, id: last.id };
  }
}

/** Writes the CSV to `output`; resolves when it is all written. */
export async function exportAuditEventsCsv(db: Database, filter: AuditEventFilter, output: Writable): Promise<void> {
  await writeCsv(auditRows(db, filter), AUDIT_CSV_COLUMNS, output);
}
