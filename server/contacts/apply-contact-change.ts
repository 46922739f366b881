// Applies a change HubSpot reported (an event, or a contact read from HubSpot) to the contact
// mirror, under the contact's row lock, with the newest-value-wins rule of mirror-merge.ts.
// Returns the state before and after, so callers can see what changed (a checkbox that turned
// true, a website that moved).
import { withTransaction, type Database } from '../db/client.js';
import { APP_PROPERTIES } from '../hubspot/app-properties.js';
import { DELETED, EMPTY_MIRROR, MIRRORED_PROPERTIES, mergeMirror, type MirrorState, type MirrorUpdate } from './mirror-merge.js';

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
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  website: string | null;
  country: string | null;
  register_as_partner_lead: boolean;
  deleted_at: Date | null;
  property_changed_at: Record<string, number>;
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

const COLUMNS = 'email, first_name, last_name, company, website, country, register_as_partner_lead, deleted_at, property_changed_at';

export async function applyContactChange(db: Pick<Database, 'pool'>, change: ContactChange): Promise<ContactChangeResult> {
  return withTransaction(db, async (sql) => {
    const key = [change.portalId, change.contactId];
    let { rows } = await sql.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE portal_id = $1 AND contact_id = $2 FOR UPDATE`, key);
    const existed = rows.length > 0;
    if (!existed) {
      // First news of this contact (events can arrive before its creation event): make the row,
      // or lock the one a concurrent worker just made.
      await sql.query(`INSERT INTO contacts (portal_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, key);
      ({ rows } = await sql.query<ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE portal_id = $1 AND contact_id = $2 FOR UPDATE`, key));
    }
    const before = existed ? stateOf(rows[0]!) : EMPTY_MIRROR;
    const { next, applied } = mergeMirror(existed ? before : stateOf(rows[0]!), change.update);
    const erase = change.erasePersonalData === true;
    if (applied.length === 0 && !change.mergedIntoContactId && !erase) return { applied, before, after: before, existed };

    const value = (name: keyof typeof MIRRORED_PROPERTIES | typeof DELETED) => next.values[name] ?? null;
    const deletedAt = value(DELETED) === 'true' ? new Date(next.changedAt[DELETED]!) : null;
    await sql.query(
      `UPDATE contacts SET email = $3, first_name = $4, last_name = $5, company = $6, website = $7, country = $8,
         register_as_partner_lead = $9, deleted_at = $10, property_changed_at = $11,
         merged_into_contact_id = coalesce($12, merged_into_contact_id),
         source_updated_at = greatest(source_updated_at, $13), updated_at = now()
       WHERE portal_id = $1 AND contact_id = $2`,
      [
        ...key,
        erase ? null : value('email'),
        erase ? null : value('firstname'),
        erase ? null : value('lastname'),
        value('company'),
        value('website'),
        value('country'),
        value(APP_PROPERTIES.trigger) === 'true',
        deletedAt,
        next.changedAt,
        change.mergedIntoContactId ?? null,
        new Date(change.update.changedAt),
      ],
    );
    return { applied, before, after: next, existed };
  });
}
