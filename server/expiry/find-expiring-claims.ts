// The Capacity Manager's "Expiring soon": a portal's active claims that end within the program's
// first reminder window (domain/claims.ts expiringSoonWithinDays), soonest first, and how many
// there are (the status bar's banner). A claim already past its expiry that the expiry job has not
// ended yet is still listed, first: it can still be renewed.
//
// Read from the portal's active rows (at most its limit, through the per-portal indexes), not
// from the program-wide expiry index, which would read every portal's expiring claims.
import type { Database } from '../db/client.js';
import type { PartnerTier } from '../domain/capacity.js';
import { claimPeriodFor, expiringSoonWithinDays } from '../domain/claims.js';
import { getProgramSettings } from '../program/program-settings.js';
import { registrationRowColumns, registrationView, type RegistrationRow, type RegistrationView } from '../registrations/registration-view.js';

export interface FindExpiringClaimsInput {
  portalId: number;
  /** How many of the soonest to return (the count covers them all). */
  limit: number;
  now?: Date;
}

export interface ExpiringClaims {
  /** The portal's claim period in days (its tier's, else the program's); null: its claims never expire. */
  claimPeriodDays: number | null;
  /** "Expiring soon" means within this many days. */
  withinDays: number;
  renewalsAllowed: number;
  /** Active claims expiring within the window. */
  total: number;
  /** Soonest first, at most `limit`. */
  items: RegistrationView[];
}

/** The portal's expiring claims, or null when the portal is not known. */
export async function findExpiringClaims(db: Pick<Database, 'pool' | 'programSettings'>, input: FindExpiringClaimsInput): Promise<ExpiringClaims | null> {
  const now = input.now ?? new Date();
  const [settings, portal] = await Promise.all([
    getProgramSettings(db),
    db.pool.query<{ tier: PartnerTier }>('SELECT tier::text AS tier FROM portals WHERE id = $1', [input.portalId]),
  ]);
  const tier = portal.rows[0]?.tier;
  if (!tier) return null;
  const withinDays = expiringSoonWithinDays(settings);
  const { rows } = await db.pool.query<RegistrationRow & { total: number }>(
    `SELECT ${registrationRowColumns()}, count(*) OVER ()::int AS total
     FROM registrations
     WHERE portal_id = $1 AND status = 'active' AND expires_at IS NOT NULL AND expires_at <= $2::timestamptz + make_interval(days => $3)
     ORDER BY expires_at, id
     LIMIT $4`,
    [input.portalId, now, withinDays, input.limit],
  );
  return {
    claimPeriodDays: claimPeriodFor(settings, tier),
    withinDays,
    renewalsAllowed: settings.renewalsAllowed,
    total: rows[0]?.total ?? 0,
    items: rows.map(registrationView),
  };
}
