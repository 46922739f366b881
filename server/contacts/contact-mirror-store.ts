// Reads and writes contact mirror rows (contact-mirror.ts) inside a caller's transaction.
//
// `lockContactMirrors` creates rows for contacts the mirror has not heard of (events can arrive
// before the creation) and locks all of them in one order, so concurrent jobs cannot deadlock;
// `writeContactMirrors` writes every changed row in one statement. Two round trips whatever the
// number of contacts: a webhook job's worth of contacts is the common case.
import type pg from 'pg';
import { APP_PROPERTIES, SALES_PROPERTIES } from '../hubspot/app-properties.js';
import type { ContactMirror } from './contact-mirror.js';
import { DELETED } from './mirror-merge.js';

interface ContactRow {
  contact_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  website: string | null;
  country: string | null;
  register_as_partner_lead: boolean;
  deleted_at: Date | null;
  property_changed_at: Record<string, number>;
  merged_into_contact_id: string | null;
  trigger_false_at: number | null;
  trigger_answered_at: number | null;
  creation_answered_at: number | null;
  personal_data_erased_at: number | null;
  lead_status: string | null;
  lifecycle_stage: string | null;
  last_activity_at: Date | null;
}

/**
 * A HubSpot datetime property's value as an instant: the CRM API gives ISO 8601
 * ("2026-11-24T09:30:00.000Z"), a webhook's propertyValue may carry epoch milliseconds
 * ("1795512600000"). Anything else (an empty value, garbage) is no date.
 */
export function hubspotInstant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;

/** The columns of a ContactRow besides contact_id. */
const MIRROR_COLUMNS = `email, first_name, last_name, company, website, country, register_as_partner_lead, deleted_at,
  property_changed_at, merged_into_contact_id, ${epochMs('trigger_false_at')}, ${epochMs('trigger_answered_at')},
  ${epochMs('creation_answered_at')}, ${epochMs('personal_data_erased_at')}, lead_status, lifecycle_stage, last_activity_at`;

function mirrorOf(row: ContactRow): ContactMirror {
  // A row nothing was ever applied to is one this transaction (or a failed one) just made.
  const isNew = Object.keys(row.property_changed_at).length === 0;
  return {
    state: isNew
      ? { values: {}, changedAt: {} }
      : {
          values: {
            email: row.email,
            firstname: row.first_name,
            lastname: row.last_name,
            company: row.company,
            website: row.website,
            country: row.country,
            [APP_PROPERTIES.trigger]: String(row.register_as_partner_lead),
            [SALES_PROPERTIES.leadStatus]: row.lead_status,
            [SALES_PROPERTIES.lifecycleStage]: row.lifecycle_stage,
            [SALES_PROPERTIES.lastActivity]: row.last_activity_at?.toISOString() ?? null,
            [DELETED]: row.deleted_at ? 'true' : 'false',
          },
          changedAt: row.property_changed_at,
        },
    triggerFalseAt: row.trigger_false_at,
    triggerAnsweredAt: row.trigger_answered_at,
    creationAnsweredAt: row.creation_answered_at,
    erasedAt: row.personal_data_erased_at,
    mergedInto: row.merged_into_contact_id,
    isNew,
  };
}

/** Locks (creating them where missing) the mirror rows of these contacts, for the caller's transaction. */
export async function lockContactMirrors(sql: pg.ClientBase, portalId: number, contactIds: string[]): Promise<Map<string, ContactMirror>> {
  const ids = [...new Set(contactIds)].sort();
  if (ids.length === 0) return new Map();
  await sql.query(`INSERT INTO contacts (portal_id, contact_id) SELECT $1, id FROM unnest($2::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING`, [portalId, ids]);
  const { rows } = await sql.query<ContactRow>(
    `SELECT contact_id, ${MIRROR_COLUMNS} FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::text[]) ORDER BY contact_id FOR UPDATE`,
    [portalId, ids],
  );
  return new Map(rows.map((row) => [row.contact_id, mirrorOf(row)]));
}

/**
 * The mirrors of these contacts as they are, without creating or locking rows: for a first look
 * that only decides what to read from HubSpot (process-webhook-events.ts), which is done outside
 * any transaction anyway. A contact the mirror has not heard of reads as lockContactMirrors'
 * new row would (no values, nothing applied). Not for planning writes: rows may change after.
 */
export async function readContactMirrors(sql: Pick<pg.ClientBase, 'query'>, portalId: number, contactIds: string[]): Promise<Map<string, ContactMirror>> {
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<ContactRow>(
    `SELECT wanted.contact_id, ${MIRROR_COLUMNS}
     FROM unnest($2::text[]) AS wanted(contact_id)
     LEFT JOIN contacts AS c ON c.portal_id = $1 AND c.contact_id = wanted.contact_id`,
    [portalId, ids],
  );
  return new Map(rows.map((row) => [row.contact_id, mirrorOf(row.property_changed_at ? row : { ...row, register_as_partner_lead: false, property_changed_at: {} })]));
}

/** Writes these mirrors (rows locked by lockContactMirrors in the same transaction). */
export async function writeContactMirrors(sql: pg.ClientBase, portalId: number, mirrors: Map<string, ContactMirror>): Promise<void> {
  if (mirrors.size === 0) return;
  const rows = [...mirrors].map(([contactId, mirror]) => {
    const value = (name: keyof ContactMirror['state']['values']) => mirror.state.values[name] ?? null;
    const changedAt = Object.values(mirror.state.changedAt);
    return {
      contact_id: contactId,
      email: value('email'),
      first_name: value('firstname'),
      last_name: value('lastname'),
      company: value('company'),
      website: value('website'),
      country: value('country'),
      register_as_partner_lead: value(APP_PROPERTIES.trigger) === 'true',
      // HubSpot clears a value by sending "": no status is null, not a status named "".
      lead_status: value(SALES_PROPERTIES.leadStatus) || null,
      lifecycle_stage: value(SALES_PROPERTIES.lifecycleStage) || null,
      last_activity_ms: hubspotInstant(value(SALES_PROPERTIES.lastActivity))?.getTime() ?? null,
      deleted_ms: value(DELETED) === 'true' ? (mirror.state.changedAt[DELETED] ?? null) : null,
      property_changed_at: mirror.state.changedAt,
      merged_into_contact_id: mirror.mergedInto,
      source_updated_ms: changedAt.length ? Math.max(...changedAt) : null,
      trigger_false_ms: mirror.triggerFalseAt,
      trigger_answered_ms: mirror.triggerAnsweredAt,
      creation_answered_ms: mirror.creationAnsweredAt,
      erased_ms: mirror.erasedAt,
    };
  });
  const at = (column: string) => `to_timestamp(u.${column} / 1000.0)`;
  await sql.query(
    `UPDATE contacts AS c SET email = u.email, first_name = u.first_name, last_name = u.last_name, company = u.company,
       website = u.website, country = u.country, register_as_partner_lead = u.register_as_partner_lead,
       lead_status = u.lead_status, lifecycle_stage = u.lifecycle_stage, last_activity_at = ${at('last_activity_ms')},
       deleted_at = ${at('deleted_ms')}, property_changed_at = u.property_changed_at, merged_into_contact_id = u.merged_into_contact_id,
       source_updated_at = greatest(c.source_updated_at, ${at('source_updated_ms')}),
       trigger_false_at = ${at('trigger_false_ms')}, trigger_answered_at = ${at('trigger_answered_ms')},
       creation_answered_at = ${at('creation_answered_ms')}, personal_data_erased_at = ${at('erased_ms')}, updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS u(contact_id text, email text, first_name text, last_name text, company text, website text,
       country text, register_as_partner_lead boolean, lead_status text, lifecycle_stage text, last_activity_ms float8, deleted_ms float8, property_changed_at jsonb, merged_into_contact_id text,
       source_updated_ms float8, trigger_false_ms float8, trigger_answered_ms float8, creation_answered_ms float8, erased_ms float8)
     WHERE c.portal_id = $1 AND c.contact_id = u.contact_id`,
    [portalId, JSON.stringify(rows)],
  );
}
