// What a list of a portal's registrations needs besides its rows: the account's HubSpot host (for
// each contact's link) and the renewals the program allows (for each claim's renewals left).
// One prepared statement rather than two ORM reads: it runs beside every page of the Capacity
// Manager's list, and the page's benchmark counts each round trip (bench/capacity-manager-api).
import type { Database } from '../db/client.js';
import { DEFAULT_PROGRAM_SETTINGS } from '../domain/claims.js';

export interface ListContext {
  /** The account's HubSpot host (EU accounts have their own); undefined: the default host. */
  uiDomain: string | undefined;
  renewalsAllowed: number;
}

export async function getListContext(db: Pick<Database, 'pool'>, { portalId }: { portalId: number }): Promise<ListContext> {
  const { rows } = await db.pool.query<{ ui_domain: string | null; renewals_allowed: number | null }>({
    name: 'registration-list-context',
    text: `SELECT (SELECT ui_domain FROM portals WHERE id = $1) AS ui_domain,
                  (SELECT renewals_allowed FROM program_settings WHERE id = 1) AS renewals_allowed`,
    values: [portalId],
  });
  const [row] = rows;
  return { uiDomain: row?.ui_domain ?? undefined, renewalsAllowed: row?.renewals_allowed ?? DEFAULT_PROGRAM_SETTINGS.renewalsAllowed };
}
