// Applies changes HubSpot reported (events, or contacts read from HubSpot) to the contact
// mirror, with the newest-value-wins rule of mirror-merge.ts, under the contacts' row locks.
//
// A whole batch (a webhook job's worth) is one transaction of a few statements, whatever its
// size: rows are created for contacts the mirror has not heard of, all rows are locked in one
// order (so concurrent jobs cannot deadlock), the changes are merged in memory in the order
// given, and every changed row is written in one UPDATE. Each change's result shows the state
// before and after it, so callers can see what it did (a checkbox that turned true).
import { withTransaction, type Database } from '../db/client.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { DELETED, EMPTY_MIRROR, mergeMirror, type MirrorState, type MirrorUpdate } from './mirror-merge.js';

export interface ContactChange {
  portalId: number;
  contactId: string;
  update: MirrorUpdate;
  /** For a merge: the contact this one was merged into. */
  mergedIntoContactId?: string;
  /** For a privacy deletion: erase the personal data the mirror holds. */
  erasePersonalData?: boolean;
}

export interface ContactChangeResult {
  applied: string[];
  before: MirrorState;
  after: MirrorState;
  /** Whether the mirror knew the contact before this change. */
  existed: boolean;
}

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
}

interface Pending {
  state: MirrorState;
  existed: boolean;
  changed: boolean;
  mergedInto: string | null;
  erase: boolean;
  changedAt: number;
}

function stateOf(row: ContactRow): MirrorState {
  return {
    values: {
      email: row.email,
      firstname: row.first_name,
      lastname: row.last_name,
      company: row.company,
      website: row.website,
      country: row.country,
      [APP_PROPERTIES.trigger]: String(row.register_as_partner_lead),
      [DELETED]: row.deleted_at ? 'true' : 'false',
    },
    changedAt: row.property_changed_at,
  };
}

/** Applies the changes of one portal in the order given; one result per change. */
export async function applyContactChanges(db: Pick<Database, 'pool'>, portalId: number, changes: ContactChange[]): Promise<ContactChangeResult[]> {
  if (changes.length === 0) return [];
  const contactIds = [...new Set(changes.map((change) => change.contactId))].sort();
  return withTransaction(db, async (sql) => {
    // Rows for contacts heard of for the first time (events can arrive before the creation).
    await sql.query(
      `INSERT INTO contacts (portal_id, contact_id) SELECT $1, id FROM unnest($2::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
      [portalId, contactIds],
    );
    const { rows } = await sql.query<ContactRow>(
      `SELECT contact_id, email, first_name, last_name, company, website, country, register_as_partner_lead, deleted_at,
              property_changed_at, merged_into_contact_id
       FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::text[]) ORDER BY contact_id FOR UPDATE`,
      [portalId, contactIds],
    );
    const pending = new Map<string, Pending>(
      rows.map((row) => {
        // A row nothing was ever applied to is one this transaction (or a failed one) just made.
        const existed = Object.keys(row.property_changed_at).length > 0;
        return [row.contact_id, { state: existed ? stateOf(row) : EMPTY_MIRROR, existed, changed: false, mergedInto: row.merged_into_contact_id, erase: false, changedAt: 0 }];
      }),
    );

    const results = changes.map((change) => {
      const contact = pending.get(change.contactId)!;
      const before = contact.state;
      const { next, applied } = mergeMirror(before, change.update);
      const result: ContactChangeResult = { applied, before, after: next, existed: contact.existed };
      if (applied.length > 0 || change.mergedIntoContactId || change.erasePersonalData) {
        contact.state = next;
        contact.changed = true;
        contact.mergedInto = change.mergedIntoContactId ?? contact.mergedInto;
        contact.erase ||= change.erasePersonalData === true;
        contact.changedAt = Math.max(contact.changedAt, change.update.changedAt);
      }
      contact.existed = true;
      return result;
    });

    const updates = [...pending.entries()]
      .filter(([, contact]) => contact.changed)
      .map(([contactId, { state, mergedInto, erase, changedAt }]) => {
        const value = (name: string) => state.values[name as keyof MirrorState['values']] ?? null;
        return {
          contact_id: contactId,
          email: erase ? null : value('email'),
          first_name: erase ? null : value('firstname'),
          last_name: erase ? null : value('lastname'),
          company: value('company'),
          website: value('website'),
          country: value('country'),
          register_as_partner_lead: value(APP_PROPERTIES.trigger) === 'true',
          deleted_at: value(DELETED) === 'true' ? new Date(state.changedAt[DELETED]!).toISOString() : null,
          property_changed_at: state.changedAt,
          merged_into_contact_id: mergedInto,
          source_updated_at: new Date(changedAt).toISOString(),
        };
      });
    if (updates.length > 0) {
      await sql.query(
        `UPDATE contacts AS c SET email = u.email, first_name = u.first_name, last_name = u.last_name, company = u.company,
           website = u.website, country = u.country, register_as_partner_lead = u.register_as_partner_lead,
           deleted_at = u.deleted_at, property_changed_at = u.property_changed_at, merged_into_contact_id = u.merged_into_contact_id,
           source_updated_at = greatest(c.source_updated_at, u.source_updated_at), updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS u(contact_id text, email text, first_name text, last_name text, company text, website text,
           country text, register_as_partner_lead boolean, deleted_at timestamptz, property_changed_at jsonb,
           merged_into_contact_id text, source_updated_at timestamptz)
         WHERE c.portal_id = $1 AND c.contact_id = u.contact_id`,
        [portalId, JSON.stringify(updates)],
      );
    }
    return results;
  });
}

export async function applyContactChange(db: Pick<Database, 'pool'>, change: ContactChange): Promise<ContactChangeResult> {
  const [result] = await applyContactChanges(db, change.portalId, [change]);
  return result!;
}
