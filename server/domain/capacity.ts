// Partner tiers, capacity limits and what a portal has left.
//
// The tier decides the limit (untiered 50; silver, gold and platinum 500; diamond 1000) unless
// the app's operator sets an explicit limit for the portal, which wins. The limit is strict: at
// the limit nothing new is registered. Lowering a limit below what is in use removes nothing;
// the portal simply cannot register until it has deregistered enough.

export const PARTNER_TIERS = ['untiered', 'silver', 'gold', 'platinum', 'diamond'] as const;
export type PartnerTier = (typeof PARTNER_TIERS)[number];

export const TIER_LIMITS: Readonly<Record<PartnerTier, number>> = {
  untiered: 50,
  silver: 500,
  gold: 500,
  platinum: 500,
  diamond: 1000,
};

/** The largest override the operator may set: far above any tier, small enough to be a typo guard. */
export const MAX_LIMIT_OVERRIDE = 1_000_000;

export function isPartnerTier(value: string): value is PartnerTier {
  return (PARTNER_TIERS as readonly string[]).includes(value);
}

export interface CapacitySettings {
  tier: PartnerTier;
  limitOverride: number | null;
}

export interface Capacity {
  tier: PartnerTier;
  /** The limit in force: the override when set, else the tier's. */
  limit: number;
  limitSource: 'tier' | 'override';
  used: number;
  /** Never negative, even when a lowered limit is below what is used. */
  remaining: number;
}

export function capacityLimit({ tier, limitOverride }: CapacitySettings): number {
  return limitOverride ?? TIER_LIMITS[tier];
}

export function capacityOf(settings: CapacitySettings, used: number): Capacity {
  const limit = capacityLimit(settings);
  return {
    tier: settings.tier,
    limit,
    limitSource: settings.limitOverride === null ? 'tier' : 'override',
    used,
    remaining: Math.max(0, limit - used),
  };
}

export function hasRoomForOneMore(capacity: Capacity): boolean {
  return capacity.used < capacity.limit;
}

/** Why an override is not acceptable, or null when it is. */
export function limitOverrideProblem(limit: number): string | null {
  if (!Number.isInteger(limit) || limit < 0) return 'a limit must be a whole number of domains, 0 or more';
  if (limit > MAX_LIMIT_OVERRIDE) return `a limit may be at most ${MAX_LIMIT_OVERRIDE.toLocaleString('en-US')} domains`;
  return null;
}
