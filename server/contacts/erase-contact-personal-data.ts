// Erases a contact's personal data everywhere the app keeps it, after HubSpot's privacy deletion
// (`contact.privacyDeletion`, or its generic twin): the person is gone, the partner's claim stays.
//
// - The mirror: the contact and the contacts merged into it keep no details (name, email,
//   company, website, country) and are marked erased, so nothing that arrives later brings any back.
// - Its registrations: the contact's name goes; the website is cut to the registered domain (a
//   URL's path or query can name a person: linkedin.com/in/…); the domain, dates, status, company
//   name and country stay. The company is the prospect the partner claims (business data, what the
//   claim is about), and the country alone does not identify anyone. The search text is rebuilt
//   without the name. The Capacity Manager shows "erased contact" instead.
// - Audit: the contact's own rows keep what happened (action, domain, code, counts) without the
//   website, messages or names; every other row of the portal that quotes the person (a refusal
//   "already registered through contact Ada Lovelace (…)") has the name and email replaced.
// - The webhook inbox: every event of the contact keeps its ids and times, not the values.
// - Write-backs: the contact's pending ones are dropped (HubSpot no longer has it); other contacts'
//   pending messages that quote the person have the name and email replaced, and so have the
//   searches deregistration jobs were asked for.
// One transaction; safe to run again (a later event of an erased contact runs it again, so its
// payload is erased too).
import type pg from 'pg';
import { withTransaction, type Database } from '../db/client.js';
import { contactNameOf, snapshotOf } from '../domain/registration-snapshot.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';

export interface EraseContactPersonalDataInput {
  portalId: number;
  contactId: string;
}

export interface ErasureReport {
  contacts: number;
  registrations: number;
  auditEvents: number;
  inboxEvents: number;
  writeBacks: number;
}

/** What other rows may quote the person by: the text as it appears inside JSON strings. */
export const ERASED_CONTACT = 'erased contact';

/** Property values an event may carry that say nothing about the person: the app's own properties. */
const NON_PERSONAL_PROPERTIES: string[] = Object.values(APP_PROPERTIES);

/** Shorter texts (an initial, "Al") would be replaced inside unrelated words. */
const MIN_QUOTED_LENGTH = 3;

export function eraseContactPersonalData(deps: { db: Pick<Database, 'pool'> }, input: EraseContactPersonalDataInput): Promise<ErasureReport> {
  return withTransaction(deps.db, (sql) => eraseContactPersonalDataIn(sql, input));
}

/**
 * The same, inside the caller's transaction: webhook processing erases in the transaction that
 * applies the privacy deletion, while the mirror still holds what other rows may quote.
 */
export async function eraseContactPersonalDataIn(sql: pg.ClientBase, input: EraseContactPersonalDataInput): Promise<ErasureReport> {
  const { portalId, contactId } = input;
  const contacts = await sql.query<{ contact_id: string; email: string | null; first_name: string | null; last_name: string | null }>(
    `SELECT contact_id, email, first_name, last_name FROM contacts
     WHERE portal_id = $1 AND (contact_id = $2 OR merged_into_contact_id = $2) ORDER BY contact_id FOR UPDATE`,
    [portalId, contactId],
  );
  const contactIds = [...new Set([contactId, ...contacts.rows.map((row) => row.contact_id)])];
  const registrations = await sql.query<{ id: string; domain: string; company_name: string | null; country: string | null; contact_name: string | null }>(
    `SELECT id::text, domain, company_name, country, contact_name FROM registrations WHERE portal_id = $1 AND contact_id = ANY($2::text[]) FOR UPDATE`,
    [portalId, contactIds],
  );
  const inboxValues = await sql.query<{ property_name: string; property_value: string }>(
    `SELECT DISTINCT payload->>'propertyName' AS property_name, payload->>'propertyValue' AS property_value FROM webhook_events
     WHERE portal_id = $1 AND object_id = ANY($2::text[]) AND payload->>'propertyName' IN ('email', 'firstname', 'lastname')
       AND payload->>'propertyValue' IS NOT NULL`,
    [portalId, contactIds],
  );

  const quoted = quotedTexts([
    ...contacts.rows.flatMap((row) => [row.email, contactNameOf({ firstName: row.first_name, lastName: row.last_name, email: null })]),
    ...registrations.rows.map((row) => row.contact_name),
    ...inboxValues.rows.filter((row) => row.property_name === 'email').map((row) => row.property_value),
    contactNameOf({
      firstName: inboxValues.rows.find((row) => row.property_name === 'firstname')?.property_value,
      lastName: inboxValues.rows.find((row) => row.property_name === 'lastname')?.property_value,
    }),
  ]);

  const erasedContacts = await sql.query(
    `UPDATE contacts SET email = NULL, first_name = NULL, last_name = NULL, company = NULL, website = NULL, country = NULL,
       personal_data_erased_at = coalesce(personal_data_erased_at, now()), updated_at = now()
     WHERE portal_id = $1 AND contact_id = ANY($2::text[])`,
    [portalId, contactIds],
  );

  const erasedRegistrations = await sql.query(
    `UPDATE registrations AS r SET contact_name = NULL, website = e.website, search_text = e.search_text,
       contact_erased_at = coalesce(r.contact_erased_at, now())
     FROM jsonb_to_recordset($2::jsonb) AS e(id bigint, website text, search_text text)
     WHERE r.portal_id = $1 AND r.id = e.id`,
    [
      portalId,
      JSON.stringify(
        registrations.rows.map((row) => {
          // The snapshot of a contact without name or email, whose website is the registered domain.
          const snapshot = snapshotOf({ contactId, website: row.domain, company: row.company_name, country: row.country }, row.domain);
          return { id: row.id, website: snapshot.website, search_text: snapshot.searchText };
        }),
      ),
    ],
  );

  // The contact's own audit rows: what happened stays, what it said about the person goes.
  const ownAudit = await sql.query(
    `UPDATE audit_events SET details = (details - 'website' - 'message' - 'reason' - 'contactName') || jsonb_build_object('personalDataErased', true)
     WHERE portal_id = $1 AND (contact_id = ANY($2::text[]) OR registration_id = ANY($3::bigint[])) AND NOT details ? 'personalDataErased'`,
    [portalId, contactIds, registrations.rows.map((row) => row.id)],
  );
  const quotingAudit = await replaceQuoted(sql, quoted, 'audit_events', 'details', portalId);

  const inbox = await sql.query(
    `UPDATE webhook_events SET payload = jsonb_set(payload, '{propertyValue}', 'null'::jsonb)
     WHERE portal_id = $1 AND object_id = ANY($2::text[]) AND payload ? 'propertyValue' AND payload->'propertyValue' <> 'null'::jsonb
       AND NOT (payload->>'propertyName' = ANY($3::text[]))`,
    [portalId, contactIds, NON_PERSONAL_PROPERTIES],
  );

  const writeBacks = await sql.query('DELETE FROM contact_write_backs WHERE portal_id = $1 AND contact_id = ANY($2::text[])', [portalId, contactIds]);
  const quotingWriteBacks = await replaceQuoted(sql, quoted, 'contact_write_backs', 'properties', portalId);
  // A deregistration job keeps the search it was asked for, which may be the person's name.
  await replaceQuoted(sql, quoted, 'deregistration_jobs', 'selection', portalId);

  return {
    contacts: erasedContacts.rowCount ?? 0,
    registrations: erasedRegistrations.rowCount ?? 0,
    auditEvents: (ownAudit.rowCount ?? 0) + quotingAudit,
    inboxEvents: inbox.rowCount ?? 0,
    writeBacks: (writeBacks.rowCount ?? 0) + quotingWriteBacks,
  };
}

/** The distinct texts that quote the person, as they appear inside a JSON string. */
function quotedTexts(texts: Array<string | null | undefined>): string[] {
  const distinct = new Set(texts.map((text) => (text ?? '').trim()).filter((text) => text.length >= MIN_QUOTED_LENGTH));
  // Longest first, so a full name is replaced before a part of it could be.
  return [...distinct].sort((a, b) => b.length - a.length).map((text) => JSON.stringify(text).slice(1, -1));
}

/** Replaces every quote of the person in a JSON column of the portal's rows; the number of rows changed. */
async function replaceQuoted(
  sql: pg.ClientBase,
  quoted: string[],
  table: 'audit_events' | 'contact_write_backs' | 'deregistration_jobs',
  column: 'details' | 'properties' | 'selection',
  portalId: number,
): Promise<number> {
  if (quoted.length === 0) return 0;
  const { rowCount } = await sql.query(
    `UPDATE ${table} SET ${column} = (
       SELECT replaced::jsonb FROM (
         WITH RECURSIVE step(i, replaced) AS (
           SELECT 0, ${column}::text
           UNION ALL SELECT i + 1, replace(replaced, ($2::text[])[i + 1], $3) FROM step WHERE i < cardinality($2::text[])
         ) SELECT replaced FROM step ORDER BY i DESC LIMIT 1
       ) AS last)
     WHERE portal_id = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS q WHERE strpos(${column}::text, q) > 0)`,
    [portalId, quoted, ERASED_CONTACT],
  );
  return rowCount ?? 0;
}
