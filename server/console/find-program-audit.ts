// The audit trail across the program, for the console: every portal's events (audit_events:
// registrations, refusals, deregistrations, portal changes) and the program's own
// (program_audit_events: changes to the program as a whole), newest first, filtered by partner,
// action, actor and days; in pages, or every match as CSV.
//
// One statement over both tables. Newest first comes from audit_events_occurred_at_idx and
// program_audit_events_occurred_at_idx (merged); a partner filter uses the portal's own index.
// Program events belong to no partner, so a partner filter leaves them out.
import type { Writable } from 'node:stream';
import type { Database } from '../db/client.js';
import { cursorRows } from '../db/cursor-rows.js';
import { writeCsv } from '../http/csv.js';
import { AuditAction } from '../db/generated/enums.js';
import type { ConsoleAuditEventAnswer, ConsoleAuditPageAnswer, ConsoleAuditQuery } from './console-contract.js';

export type ProgramAuditFilter = Omit<ConsoleAuditQuery, 'page' | 'pageSize'>;

interface AuditRow {
  source: 'portal' | 'program';
  id: string;
  portal_id: string | null;
  occurred_at: Date;
  action: string;
  actor: string;
  channel: string | null;
  registration_id: string | null;
  domain: string | null;
  contact_id: string | null;
  job_id: string | null;
  details: unknown;
}

const PORTAL_ACTIONS = new Set<string>(Object.values(AuditAction));
const DAY_MS = 24 * 60 * 60 * 1000;

function auditQuery(filter: ProgramAuditFilter, limit: number | null, offset: number): { text: string; values: unknown[] } {
  const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : null;
  const to = filter.to ? new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS) : null;
  const wantPortal = filter.action === undefined || PORTAL_ACTIONS.has(filter.action);
  const wantProgram = filter.portalId === undefined && (filter.action === undefined || !PORTAL_ACTIONS.has(filter.action));
  const values: unknown[] = [filter.action ?? null, filter.actor ?? null, from, to, filter.portalId === undefined ? null : String(filter.portalId)];
  const common = `($1::text IS NULL OR action::text = $1) AND ($2::text IS NULL OR actor = $2)
                  AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)`;
  const branches = [
    wantPortal
      ? `SELECT 'portal' AS source, id::text, portal_id::text, occurred_at, action::text, actor, channel::text, registration_id::text, domain, contact_id, job_id::text, details
         FROM audit_events WHERE ${common} AND ($5::bigint IS NULL OR portal_id = $5)`
      : null,
    wantProgram
      ? `SELECT 'program' AS source, id::text, NULL, occurred_at, action::text, actor, NULL, NULL, NULL, NULL, NULL, details
         FROM program_audit_events WHERE ${common} AND $5::bigint IS NULL`
      : null,
  ].filter((branch) => branch !== null);
  let text = `${branches.join(' UNION ALL ')} ORDER BY occurred_at DESC, source, id DESC`;
  if (limit !== null) {
    values.push(limit, offset);
    text += ` LIMIT $6 OFFSET $7`;
  }
  return { text, values };
}

function eventView(row: AuditRow): ConsoleAuditEventAnswer {
  return {
    source: row.source,
    id: row.id,
    portalId: row.portal_id === null ? null : Number(row.portal_id),
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    actor: row.actor,
    channel: row.channel,
    registrationId: row.registration_id,
    domain: row.domain,
    contactId: row.contact_id,
    jobId: row.job_id,
    details: row.details,
  };
}

export async function findProgramAudit(db: Pick<Database, 'pool'>, query: ConsoleAuditQuery): Promise<ConsoleAuditPageAnswer> {
  const { page, pageSize, ...filter } = query;
  const statement = auditQuery(filter, pageSize + 1, (page - 1) * pageSize);
  const { rows } = await db.pool.query<AuditRow>(statement);
  return { items: rows.slice(0, pageSize).map(eventView), page, pageSize, hasNextPage: rows.length > pageSize };
}

export const AUDIT_CSV_COLUMNS = [
  { key: 'occurredAt', header: 'Occurred at' },
  { key: 'source', header: 'Source' },
  { key: 'portalId', header: 'Portal' },
  { key: 'action', header: 'Action' },
  { key: 'actor', header: 'Actor' },
  { key: 'channel', header: 'Channel' },
  { key: 'domain', header: 'Domain' },
  { key: 'contactId', header: 'HubSpot contact id' },
  { key: 'jobId', header: 'Deregistration job' },
  { key: 'details', header: 'Details' },
] as const;

async function* auditRows(db: Pick<Database, 'pool'>, filter: ProgramAuditFilter) {
  for await (const row of cursorRows<AuditRow>(db, auditQuery(filter, null, 0))) {
    const view = eventView(row);
    yield { ...view, details: JSON.stringify(view.details ?? {}) };
  }
}

/** Every matching event as CSV, newest first; cells a spreadsheet would run as formulas are escaped. */
export async function exportProgramAuditCsv(db: Pick<Database, 'pool'>, filter: ProgramAuditFilter, output: Writable): Promise<void> {
  await writeCsv(auditRows(db, filter), AUDIT_CSV_COLUMNS, output);
}
