// Exclusive claims in the database: how registration learns that another partner holds a domain,
// without two partners ever getting it at the same moment.
//
// Every registration door (register-contacts.ts, restore-registrations.ts) runs, after its
// portal's lock, two statements from here:
// 1. `LOCK_DOMAINS` takes a program-wide transaction lock per domain (PostgreSQL advisory locks,
//    in the hash order, so two batches never wait for each other in a cycle) — only when the
//    program's claims are exclusive;
// 2. `CLAIM_STATE`, a statement of its own so that its snapshot is taken after those locks and
//    sees every holder committed before: the program's settings and, per domain, the other
//    partners that hold it.
// Locks are always taken in the order portal, then domains; nothing takes a portal lock while
// holding domain locks (the waitlist hands a domain over in a transaction of its own), so
// partners racing for the same domains cannot deadlock. No unique index can back the rule:
// switching from shared to exclusive keeps the domains several partners already hold (conflicts
// for the operator to resolve), so the rule is this lock and the check after it.
import type { PartnerTier } from '../domain/capacity.js';
import type { ClaimMode, ProgramSettings } from '../domain/claims.js';
import type { SessionStatement } from '../db/session-statements.js';

/** The advisory lock space of domain claims (first key of the two-key form): "PCdc". */
const DOMAIN_CLAIM_LOCK_SPACE = 0x50436463;

/** The program's claim mode; a database without its settings row has the default, exclusive. */
const CLAIM_MODE = `coalesce((SELECT claim_mode::text FROM program_settings WHERE id = 1), 'exclusive')`;

function lockDomainsText(when: string): string {
  return `SELECT count(pg_advisory_xact_lock(${DOMAIN_CLAIM_LOCK_SPACE}, sorted.key))
    FROM (SELECT DISTINCT hashtext(domain) AS key FROM unnest($1::text[]) AS domain ORDER BY 1) AS sorted
    WHERE ${when}`;
}

/** Takes the domains' ($1, text[]) program-wide locks when claims are exclusive; does nothing in shared mode. */
export const LOCK_DOMAINS: SessionStatement = { name: 'pc_lock_domains', types: ['text[]'], text: lockDomainsText(`${CLAIM_MODE} = 'exclusive'`) };

/** Takes the domains' ($1, text[]) program-wide locks in either mode: a conflict's resolution must not race another. */
export const LOCK_DOMAINS_ALWAYS: SessionStatement = { name: 'pc_lock_domains_always', types: ['text[]'], text: lockDomainsText('true') };

export interface ClaimState {
  claim_mode: ClaimMode;
  claim_period_days: number | null;
  claim_period_days_by_tier: Partial<Record<PartnerTier, number>>;
  /** Per domain held by other partners: since the earliest of their claims, until the latest end (null: one never ends). */
  held: Array<{ domain: string; held_since: string; held_until: string | null }>;
}

/**
 * The program's claim settings and the domains ($2, text[]) partners other than the portal ($1)
 * hold, read after the locks. Columns: claim_mode, claim_period_days, claim_period_days_by_tier,
 * held (json).
 *
 * The holders are looked up domain by domain (a lateral lookup on `domain = wanted.domain`), not
 * with `domain = ANY($2)`: this statement runs with a generic plan (session-statements.ts), and
 * for `ANY` a plan made while the table was small (a fresh install, a new bench database) chose
 * a scan of the whole (portal_id, domain) index, whose cost then grew with every registration:
 * exclusive registration ran at 0.43x shared. For an equality on the domain, the holder index
 * (domain first) is the only sensible plan at any size.
 */
export const CLAIM_STATE: SessionStatement = {
  name: 'pc_claim_state',
  types: ['bigint', 'text[]'],
  text: `SELECT ${CLAIM_MODE} AS claim_mode, settings.claim_period_days, coalesce(settings.claim_period_days_by_tier, '{}') AS claim_period_days_by_tier,
      coalesce((SELECT json_agg(json_build_object('domain', domain, 'held_since', held_since, 'held_until', held_until))
                FROM (SELECT DISTINCT wanted.domain, holder.held_since, holder.held_until
                      FROM unnest($2::text[]) AS wanted(domain)
                      CROSS JOIN LATERAL (SELECT min(registered_at) AS held_since,
                                                 CASE WHEN bool_or(expires_at IS NULL) THEN NULL ELSE max(expires_at) END AS held_until
                                          FROM registrations
                                          WHERE registrations.domain = wanted.domain AND status = 'active' AND portal_id <> $1) AS holder
                      WHERE holder.held_since IS NOT NULL) AS holders
                WHERE ${CLAIM_MODE} = 'exclusive'), '[]') AS held
    FROM (SELECT 1) AS one LEFT JOIN program_settings AS settings ON settings.id = 1`,
};

/** The claim state as the rules use it. */
export function readClaimState(row: ClaimState): {
  settings: Pick<ProgramSettings, 'claimMode' | 'claimPeriodDays' | 'claimPeriodDaysByTier'>;
  heldElsewhere: Map<string, { heldSince: Date; heldUntil: Date | null }>;
} {
  const settings = { claimMode: row.claim_mode, claimPeriodDays: row.claim_period_days, claimPeriodDaysByTier: row.claim_period_days_by_tier };
  const heldElsewhere = new Map(row.held.map((held) => [held.domain, { heldSince: new Date(held.held_since), heldUntil: held.held_until ? new Date(held.held_until) : null }]));
  return { settings, heldElsewhere };
}
