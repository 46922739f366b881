// The partner program's claim rules: who may hold a domain, and for how long.
//
// A deployment serves one partner program; every portal is one partner. In **exclusive** mode
// (the default) a domain has at most one active registration across the whole program — the one
// thing a lead-registration system exists for: two partners must never both believe they earn
// the commission. In **shared** mode each partner's capacity is its own business and domains may
// repeat across partners (how the app behaved before the registry).
//
// With a **claim period** a registration expires that many days after it was made (or last
// renewed) unless renewed; a partner may renew a claim a limited number of times. Reminders go
// out the configured numbers of days before expiry.
import { PARTNER_TIERS, type PartnerTier } from './capacity.js';

export const CLAIM_MODES = ['exclusive', 'shared'] as const;
export type ClaimMode = (typeof CLAIM_MODES)[number];

export interface ProgramSettings {
  claimMode: ClaimMode;
  /** Days a claim lasts; null: claims never expire. */
  claimPeriodDays: number | null;
  /** Per tier overrides of the claim period. */
  claimPeriodDaysByTier: Partial<Record<PartnerTier, number>>;
  /** Days before expiry to remind the partner, largest first. */
  reminderDays: number[];
  renewalsAllowed: number;
  /** Days without sales activity after which Suggestions proposes releasing a claim. */
  inactivityDays: number;
}

export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = {
  claimMode: 'exclusive',
  claimPeriodDays: null,
  claimPeriodDaysByTier: {},
  reminderDays: [14, 3],
  renewalsAllowed: 2,
  inactivityDays: 90,
};

/** No change of the claim period makes a claim end sooner than this after the change. */
export const PERIOD_CHANGE_GRACE_DAYS = 14;
/** Ten years: far beyond any program's claim period, small enough to catch a typo. */
export const MAX_CLAIM_PERIOD_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The claim period for a partner of this tier, in days; null: its claims never expire. */
export function claimPeriodFor(settings: Pick<ProgramSettings, 'claimPeriodDays' | 'claimPeriodDaysByTier'>, tier: PartnerTier): number | null {
  return settings.claimPeriodDaysByTier[tier] ?? settings.claimPeriodDays;
}

/** When a claim made (or renewed) at `start` expires; null when it never does. */
export function expiryOf(start: Date, periodDays: number | null): Date | null {
  return periodDays === null ? null : new Date(start.getTime() + periodDays * DAY_MS);
}

/**
 * A claim's expiry after the operator changed the period: the new period counted from the
 * claim's start, but never sooner than {@link PERIOD_CHANGE_GRACE_DAYS} after the change — unless
 * it was already due sooner than that before the change (the change does not shorten it).
 */
export function expiryAfterPeriodChange(claim: { start: Date; expiresAt: Date | null }, periodDays: number | null, changedAt: Date): Date | null {
  const next = expiryOf(claim.start, periodDays);
  if (next === null) return null;
  const grace = new Date(changedAt.getTime() + PERIOD_CHANGE_GRACE_DAYS * DAY_MS);
  const floor = claim.expiresAt !== null && claim.expiresAt < grace ? claim.expiresAt : grace;
  return new Date(Math.max(next.getTime(), floor.getTime()));
}

export type RenewalCheck = { ok: true; expiresAt: Date } | { ok: false; code: 'NOT_EXPIRING' | 'NO_RENEWALS_LEFT'; message: string };

/** Whether a claim may be renewed now, and until when: one period from now. */
export function renewal(claim: { renewals: number }, settings: Pick<ProgramSettings, 'renewalsAllowed'>, periodDays: number | null, now: Date): RenewalCheck {
  if (periodDays === null) return { ok: false, code: 'NOT_EXPIRING', message: 'Claims of this program do not expire, so there is nothing to renew.' };
  if (claim.renewals >= settings.renewalsAllowed) {
    const times = settings.renewalsAllowed === 1 ? 'once' : `${settings.renewalsAllowed} times`;
    return {
      ok: false,
      code: 'NO_RENEWALS_LEFT',
      message: `This claim has been renewed ${times} already, as often as the program allows. It ends when it expires; register it again afterwards if it is still free.`,
    };
  }
  return { ok: true, expiresAt: expiryOf(now, periodDays)! };
}

/** Days before expiry a claim counts as "expiring soon": the first (largest) reminder day, 14 when the program sends none. */
export function expiringSoonWithinDays(settings: Pick<ProgramSettings, 'reminderDays'>): number {
  return Math.max(0, ...settings.reminderDays) || DEFAULT_PROGRAM_SETTINGS.reminderDays[0]!;
}

export interface ClaimExpiry {
  expiresAt: Date;
  /** It ends within the program's first reminder window: the partner is reminded to renew. */
  expiringSoon: boolean;
  /** Renewals the program still allows for this claim. */
  renewalsLeft: number;
}

/** Where a claim stands against its expiry, as the partner is shown it; null when it never expires. */
export function claimExpiry(
  claim: { expiresAt: Date | null; renewals: number },
  settings: Pick<ProgramSettings, 'reminderDays' | 'renewalsAllowed'>,
  now: Date,
): ClaimExpiry | null {
  if (claim.expiresAt === null) return null;
  return {
    expiresAt: claim.expiresAt,
    expiringSoon: claim.expiresAt.getTime() - now.getTime() <= expiringSoonWithinDays(settings) * DAY_MS,
    renewalsLeft: Math.max(0, settings.renewalsAllowed - claim.renewals),
  };
}

/** Problems with proposed settings, each a sentence saying what to change; empty when valid. */
export function settingsProblems(settings: ProgramSettings): string[] {
  const problems: string[] = [];
  const validPeriod = (days: number) => Number.isInteger(days) && days >= 1 && days <= MAX_CLAIM_PERIOD_DAYS;
  if (!CLAIM_MODES.includes(settings.claimMode)) problems.push(`The claim mode must be one of ${CLAIM_MODES.join(', ')}.`);
  if (settings.claimPeriodDays !== null && !validPeriod(settings.claimPeriodDays)) {
    problems.push(`The claim period must be a whole number of days from 1 to ${MAX_CLAIM_PERIOD_DAYS}, or none.`);
  }
  for (const [tier, days] of Object.entries(settings.claimPeriodDaysByTier)) {
    if (!(PARTNER_TIERS as readonly string[]).includes(tier)) problems.push(`"${tier}" is not a tier; use one of ${PARTNER_TIERS.join(', ')}.`);
    else if (!validPeriod(days)) problems.push(`The ${tier} tier's claim period must be a whole number of days from 1 to ${MAX_CLAIM_PERIOD_DAYS}.`);
  }
  if (settings.reminderDays.length > 5) problems.push('Give at most 5 reminder days.');
  if (settings.reminderDays.some((days) => !Number.isInteger(days) || days < 1 || days > 365)) problems.push('Reminder days must be whole numbers of days from 1 to 365.');
  if (new Set(settings.reminderDays).size !== settings.reminderDays.length) problems.push('Each reminder day may be given once.');
  if (!Number.isInteger(settings.renewalsAllowed) || settings.renewalsAllowed < 0 || settings.renewalsAllowed > 100)
    problems.push('Renewals allowed must be a whole number from 0 to 100.');
  if (!Number.isInteger(settings.inactivityDays) || settings.inactivityDays < 1 || settings.inactivityDays > 3650)
    problems.push('The inactivity threshold must be a whole number of days from 1 to 3650.');
  return problems;
}
