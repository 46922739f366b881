// The program's partners for the console: every portal with its tier, limit (and whether the
// operator overrode it), capacity used, claims expiring soon, domains it waits for, install
// state, last webhook received and last registration; searched by name or portal id, sorted, in
// pages.
//
// One statement, hand-written (docs/decisions/0001). Portals are few (thousands) and are read
// whole; what costs is counting active registrations (a million and more: ~0.7 s for all
// partners). So the rows on the page are counted live (one index-only count each, on
// registrations_portal_status_registered_at_idx), and sorting by used or % used orders by
// partner_usage, the counts as last made (partner-usage.ts keeps them under a minute old): the
// numbers shown are always live, only the order can be that old. The last webhook and the last
// registration are read for the page's rows only, each one backward step of an index
// (webhook_events_portal_received_at_idx, the registered-at index per status); the claims
// expiring soon and the waitlist entries are one index range each (registrations_portal_expiry_idx,
// waitlist_entries_portal_idx). Offset paging:
// the rows skipped are portals, not registrations. bench/console-partners.bench.ts measures it.
import type { Database } from '../db/client.js';
import { TIER_LIMITS, type PartnerTier } from '../domain/capacity.js';
import { expiringSoonWithinDays } from '../domain/claims.js';
import { getProgramSettings } from '../program/program-settings.js';
import type { PartnerAnswer, PartnerListQuery, PartnerPageAnswer, PartnerSortField } from './console-contract.js';

interface PartnerRow {
  portal_id: string;
  name: string | null;
  tier: PartnerTier;
  limit_override: number | null;
  limit: number;
  install_state: 'installed' | 'disconnected';
  used: number;
  expiring_soon: number;
  waiting: number;
  last_webhook_at: Date | null;
  last_registration_at: Date | null;
  total: string;
}

/** Sorts that need every partner's count: they read partner_usage. */
export const SORTS_BY_USAGE = new Set<PartnerSortField>(['used', 'percentUsed']);

/** The tier's limit in SQL, from the code's constants (integers, so safe to inline). */
const TIER_LIMIT_SQL = `CASE p.tier ${Object.entries(TIER_LIMITS)
  .map(([tier, limit]) => `WHEN '${tier}' THEN ${Math.trunc(limit)}`)
  .join(' ')} END`;

const ORDER_BY: Record<PartnerSortField, string> = {
  name: 'lower(name)',
  portalId: 'id',
  tier: 'tier',
  limit: '"limit"',
  used: 'counted_used',
  // float8, not numeric: the division runs for every partner, and only its order matters here.
  percentUsed: 'counted_used::float8 / NULLIF("limit", 0)',
  installState: 'install_state',
};

export function percentUsed(used: number, limit: number): number {
  if (limit === 0) return used > 0 ? 100 : 0;
  return Math.round((used / limit) * 1000) / 10;
}

export function partnerView(row: Omit<PartnerRow, 'total'>): PartnerAnswer {
  return {
    portalId: Number(row.portal_id),
    name: row.name,
    tier: row.tier,
    limit: row.limit,
    limitOverridden: row.limit_override !== null,
    used: row.used,
    percentUsed: percentUsed(row.used, row.limit),
    installState: row.install_state,
    expiringSoon: row.expiring_soon,
    waiting: row.waiting,
    lastWebhookAt: row.last_webhook_at?.toISOString() ?? null,
    lastRegistrationAt: row.last_registration_at?.toISOString() ?? null,
  };
}

/** The statement and its values: also what the benchmark and the details view run. */
export function findPartnersQuery(
  input: Pick<PartnerListQuery, 'search' | 'sortBy' | 'sortDirection' | 'page' | 'pageSize'> & {
    portalId?: number;
    /** "Expiring soon" means within this many days (the program's first reminder window). */
    expiringWithinDays: number;
  },
): {
  name: string;
  text: string;
  values: unknown[];
} {
  const search = input.search?.trim() || null;
  const direction = input.sortDirection === 'desc' ? 'DESC' : 'ASC';
  // NULLS LAST both ways: a portal without a name sorts after the named ones.
  const order = `${ORDER_BY[input.sortBy]} ${direction} NULLS LAST, id ${direction}`;
  const byUsage = SORTS_BY_USAGE.has(input.sortBy);
  const filter = `($1::text IS NULL OR p.name ILIKE '%' || replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' OR p.id::text = $1)
        AND ($4::bigint IS NULL OR p.id = $4)`;
  // Every partner's row is computed for the order, so each per-row step counts: the tier's limit
  // as a CASE over the code's constants (not a JSON look-up per row), and the total counted on
  // its own from the portals alone (a window count over the joined rows cost a quarter of the
  // statement at 5,000 partners).
  const text = `
    WITH matching AS (
      SELECT p.id, p.name, p.tier, p.limit_override, p.install_state,
             COALESCE(p.limit_override, ${TIER_LIMIT_SQL}) AS "limit",
             ${byUsage ? 'COALESCE(u.active_registrations, 0)' : 'NULL::int'} AS counted_used
      FROM portals p ${byUsage ? 'LEFT JOIN partner_usage u ON u.portal_id = p.id' : ''}
      WHERE ${filter}
    ),
    page AS (
      SELECT *, (SELECT count(*) FROM portals p WHERE ${filter}) AS total FROM matching ORDER BY ${order} LIMIT $2 OFFSET $3
    )
    SELECT p.id::text AS portal_id, p.name, p.tier, p.limit_override, p."limit", p.install_state, p.total::text,
           (SELECT count(*)::int FROM registrations r WHERE r.portal_id = p.id AND r.status = 'active') AS used,
           (SELECT count(*)::int FROM registrations r
            WHERE r.portal_id = p.id AND r.status = 'active' AND r.expires_at IS NOT NULL AND r.expires_at <= now() + make_interval(days => $5)) AS expiring_soon,
           (SELECT count(*)::int FROM waitlist_entries w WHERE w.portal_id = p.id AND w.status = 'waiting') AS waiting,
           (SELECT max(w.received_at) FROM webhook_events w WHERE w.portal_id = p.id) AS last_webhook_at,
           GREATEST(
             (SELECT max(r.registered_at) FROM registrations r WHERE r.portal_id = p.id AND r.status = 'active'),
             (SELECT max(r.registered_at) FROM registrations r WHERE r.portal_id = p.id AND r.status = 'deregistered')
           ) AS last_registration_at
    FROM page p ORDER BY ${order}`;
  return {
    // Prepared once per connection and sort: planning the statement costs as much as running it.
    name: `console-partners-${input.sortBy}-${direction}`,
    text,
    values: [search, input.pageSize, (input.page - 1) * input.pageSize, input.portalId === undefined ? null : String(input.portalId), input.expiringWithinDays],
  };
}

/** The days "expiring soon" covers: the program's setting, one primary-key read. */
async function expiringWindow(db: Pick<Database, 'programSettings'>): Promise<number> {
  return expiringSoonWithinDays(await getProgramSettings(db));
}

export async function findPartners(db: Pick<Database, 'pool' | 'programSettings'>, input: PartnerListQuery): Promise<PartnerPageAnswer> {
  const expiringWithinDays = await expiringWindow(db);
  const query = findPartnersQuery({ ...input, expiringWithinDays });
  const { rows } = await db.pool.query<PartnerRow>(query);
  // A page past the end has no rows to carry the total: count again (rare: a stale page number).
  const total = rows[0] ? Number(rows[0].total) : input.page > 1 ? await countPartners(db, input.search, expiringWithinDays) : 0;
  return {
    items: rows.map(partnerView),
    total,
    page: input.page,
    pageSize: input.pageSize,
    pageCount: Math.ceil(total / input.pageSize),
  };
}

async function countPartners(db: Pick<Database, 'pool'>, search: string | undefined, expiringWithinDays: number): Promise<number> {
  const query = findPartnersQuery({ search, sortBy: 'portalId', sortDirection: 'asc', page: 1, pageSize: 1, expiringWithinDays });
  const { rows } = await db.pool.query<PartnerRow>(query);
  return rows[0] ? Number(rows[0].total) : 0;
}

/** One partner as its row in the list shows it, or null when no such portal. */
export async function getPartner(db: Pick<Database, 'pool' | 'programSettings'>, portalId: number): Promise<PartnerAnswer | null> {
  const query = findPartnersQuery({ portalId, sortBy: 'portalId', sortDirection: 'asc', page: 1, pageSize: 1, expiringWithinDays: await expiringWindow(db) });
  const { rows } = await db.pool.query<PartnerRow>(query);
  return rows[0] ? partnerView(rows[0]) : null;
}
