// The Capacity Manager's Suggestions: a portal's active claims with what the contact mirror
// knows of each contact, ranked by domain/release-suggestions.ts.
//
// One statement reads every active claim of the portal with its contact's mirror row (the
// primary key lookup per claim); a portal holds at most its limit, 1,000 for the biggest tier,
// so ranking them all in memory is cheap and lets over-the-limit portals be offered exactly the
// number they must release. The portal's limit and the program's thresholds are read beside it.
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { capacityOf, type Capacity, type PartnerTier } from '../domain/capacity.js';
import { expiringSoonWithinDays } from '../domain/claims.js';
import { type ClaimFacts, rankReleaseSuggestions, type ReleaseReason, releaseNeeded } from '../domain/release-suggestions.js';
import { getProgramSettings } from '../program/program-settings.js';
import { type RegistrationRow, type RegistrationView, registrationRowColumns, registrationView } from './registration-view.js';

type SuggestionRow = RegistrationRow & {
  renewedAt: Date | null;
  mirrored: boolean;
  contactDeletedAt: Date | null;
  mergedIntoContactId: string | null;
  leadStatus: string | null;
  lifecycleStage: string | null;
  lastActivityAt: Date | null;
};

export interface ReleaseSuggestionView {
  registration: RegistrationView;
  lastActivityAt: string | null;
  reasons: ReleaseReason[];
}

export interface ReleaseSuggestions {
  capacity: Capacity;
  inactivityDays: number;
  expiringWithinDays: number;
  /** Claims to release before the portal can register again: 0 unless it is over its limit. */
  releaseNeeded: number;
  /** Claims with a reason (the fillers of an over-the-limit portal not counted). */
  total: number;
  /** Best first: the first `releaseNeeded` are the ones to pre-select. */
  items: ReleaseSuggestionView[];
}

export async function findReleaseSuggestions(
  db: Pick<Database, '$queryRaw' | 'portal' | 'programSettings'>,
  input: { portalId: number; limit: number; now?: Date },
): Promise<ReleaseSuggestions | null> {
  const portalId = BigInt(input.portalId);
  const [portal, settings, rows] = await Promise.all([
    db.portal.findUnique({ where: { id: portalId }, select: { tier: true, limitOverride: true } }),
    getProgramSettings(db),
    db.$queryRaw<SuggestionRow[]>`
      SELECT ${Prisma.raw(registrationRowColumns('r'))}, r.renewed_at AS "renewedAt", c.contact_id IS NOT NULL AS mirrored,
             c.deleted_at AS "contactDeletedAt", c.merged_into_contact_id AS "mergedIntoContactId", c.lead_status AS "leadStatus",
             c.lifecycle_stage AS "lifecycleStage", c.last_activity_at AS "lastActivityAt"
      FROM registrations r
      LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
      WHERE r.portal_id = ${portalId} AND r.status = 'active'`,
  ]);
  if (!portal) return null;
  const capacity = capacityOf({ tier: portal.tier as PartnerTier, limitOverride: portal.limitOverride }, rows.length);
  const needed = releaseNeeded(capacity);
  const expiringWithinDays = expiringSoonWithinDays(settings);
  const claims = rows.map((row) => ({
    row,
    domain: row.domain,
    registeredAt: row.registeredAt,
    channel: row.channel,
    expiresAt: row.expiresAt ?? null,
    renewedAt: row.renewedAt,
    contact: row.mirrored
      ? {
          deleted: row.contactDeletedAt !== null,
          mergedInto: row.mergedIntoContactId,
          leadStatus: row.leadStatus,
          lifecycleStage: row.lifecycleStage,
          lastActivityAt: row.lastActivityAt,
        }
      : null,
  })) satisfies ClaimFacts[];
  const ranked = rankReleaseSuggestions(claims, { now: input.now ?? new Date(), inactivityDays: settings.inactivityDays, expiringWithinDays }, needed);
  return {
    capacity,
    inactivityDays: settings.inactivityDays,
    expiringWithinDays,
    releaseNeeded: needed,
    total: ranked.filter((suggestion) => suggestion.reasons[0]?.code !== 'least_active').length,
    items: ranked.slice(0, Math.max(input.limit, needed)).map(({ claim, reasons }) => ({
      registration: registrationView(claim.row),
      lastActivityAt: claim.row.lastActivityAt?.toISOString() ?? null,
      reasons,
    })),
  };
}
