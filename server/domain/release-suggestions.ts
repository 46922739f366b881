// Which active claims a partner could release, and why: the rules behind the Capacity Manager's
// Suggestions. Plain TypeScript, no I/O (registrations/find-release-suggestions.ts feeds it).
//
// A claim gets a reason when
// - its contact was deleted in HubSpot, or merged into another contact (and the claim did not
//   follow it);
// - its lead is lost: lead status UNQUALIFIED or BAD_TIMING, or lifecycle stage "other"
//   (docs/hubspot-api.md, "What Suggestions reads"; custom values say nothing);
// - it expires within the first reminder window and nothing was logged on the contact since
//   the claim was made or last renewed;
// - nothing was logged on the contact for the program's inactivity threshold (default 90 days),
//   counted from the last activity, the registration or the last renewal, whichever is latest —
//   a claim is never "inactive" for longer than it has existed;
// - an automatic rule registered it, nobody logged anything on the contact or renewed it since,
//   and it is a month old (or the inactivity threshold, if shorter): a rule's claim that nobody
//   picked up.
// Claims are ranked by the weight of their reasons, then by how long they have been quiet. A
// contact the mirror has never seen counts as one with nothing logged.
//
// Over the limit (a lowered tier or limit), a partner must release `used - limit + 1` claims to
// register again; when fewer claims have a reason, the least recently active of the others make
// up the number ("least active"), so Suggestions always offers exactly that many.

export const LOST_LEAD_STATUSES: readonly string[] = ['UNQUALIFIED', 'BAD_TIMING'];
export const LOST_LIFECYCLE_STAGES: readonly string[] = ['other'];
/** An automatic rule's untouched claim is suggested once it is this old (or the inactivity threshold, if shorter). */
export const AUTOMATIC_UNTOUCHED_AFTER_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export type ReleaseReason =
  | { code: 'contact_deleted' }
  | { code: 'contact_merged'; mergedInto: string }
  | { code: 'lead_lost'; leadStatus: string | null; lifecycleStage: string | null }
  | { code: 'expiring_without_activity'; expiresAt: string }
  | { code: 'inactive'; idleDays: number; lastActivityAt: string | null }
  | { code: 'automatic_untouched' }
  | { code: 'least_active' };

export type ReleaseReasonCode = ReleaseReason['code'];

const WEIGHTS: Record<ReleaseReasonCode, number> = {
  contact_deleted: 100,
  contact_merged: 100,
  lead_lost: 60,
  expiring_without_activity: 40,
  inactive: 30,
  automatic_untouched: 20,
  least_active: 0,
};

/** What the mirror knows of a claim's contact. */
export interface ClaimContact {
  deleted: boolean;
  mergedInto: string | null;
  leadStatus: string | null;
  lifecycleStage: string | null;
  lastActivityAt: Date | null;
}

export interface ClaimFacts {
  domain: string;
  registeredAt: Date;
  channel: string;
  expiresAt: Date | null;
  renewedAt: Date | null;
  /** Null: the mirror has no row for the contact. */
  contact: ClaimContact | null;
}

export interface SuggestionRules {
  now: Date;
  /** Program setting: days without activity that make a claim inactive. */
  inactivityDays: number;
  /** A claim expiring within this many days is "expiring soon" (the first reminder). */
  expiringWithinDays: number;
}

export interface ReleaseSuggestion<T extends ClaimFacts> {
  claim: T;
  reasons: ReleaseReason[];
  /** The last activity, registration or renewal, whichever is latest. */
  quietSince: Date;
}

/** How many claims must go before a portal can register again; 0 unless it is over its limit. */
export function releaseNeeded({ used, limit }: { used: number; limit: number }): number {
  return used > limit ? used - limit + 1 : 0;
}

function latest(...dates: Array<Date | null | undefined>): Date {
  return new Date(Math.max(...dates.map((date) => date?.getTime() ?? Number.NEGATIVE_INFINITY)));
}

/** The reasons to release this claim (none: keep it). */
export function reasonsToRelease(claim: ClaimFacts, rules: SuggestionRules): ReleaseReason[] {
  const contact = claim.contact;
  const lastActivityAt = contact?.lastActivityAt ?? null;
  const claimedAt = latest(claim.registeredAt, claim.renewedAt);
  const activeSinceClaimed = lastActivityAt !== null && lastActivityAt.getTime() >= claimedAt.getTime();
  const now = rules.now.getTime();
  const reasons: ReleaseReason[] = [];

  if (contact?.deleted && contact.mergedInto === null) reasons.push({ code: 'contact_deleted' });
  if (contact?.mergedInto) reasons.push({ code: 'contact_merged', mergedInto: contact.mergedInto });
  const lostStatus = contact?.leadStatus && LOST_LEAD_STATUSES.includes(contact.leadStatus) ? contact.leadStatus : null;
  const lostStage = contact?.lifecycleStage && LOST_LIFECYCLE_STAGES.includes(contact.lifecycleStage) ? contact.lifecycleStage : null;
  if (lostStatus || lostStage) reasons.push({ code: 'lead_lost', leadStatus: lostStatus, lifecycleStage: lostStage });
  if (claim.expiresAt && claim.expiresAt.getTime() - now <= rules.expiringWithinDays * DAY_MS && !activeSinceClaimed) {
    reasons.push({ code: 'expiring_without_activity', expiresAt: claim.expiresAt.toISOString() });
  }
  const idleDays = Math.floor((now - latest(lastActivityAt, claimedAt).getTime()) / DAY_MS);
  if (idleDays >= rules.inactivityDays) reasons.push({ code: 'inactive', idleDays, lastActivityAt: lastActivityAt?.toISOString() ?? null });
  const untouchedAfterDays = Math.min(AUTOMATIC_UNTOUCHED_AFTER_DAYS, rules.inactivityDays);
  const ageDays = (now - claim.registeredAt.getTime()) / DAY_MS;
  if (claim.channel === 'automatic' && claim.renewedAt === null && !activeSinceClaimed && ageDays >= untouchedAfterDays) {
    reasons.push({ code: 'automatic_untouched' });
  }
  return reasons;
}

function weightOf(reasons: ReleaseReason[]): number {
  return reasons.reduce((sum, reason) => sum + WEIGHTS[reason.code], 0);
}

/** Quiet time counts in whole days: claims made minutes apart are equally quiet. */
const quietDay = (suggestion: { quietSince: Date }) => Math.floor(suggestion.quietSince.getTime() / DAY_MS);
/** No activity ever logged sorts before any. */
const activityTime = (claim: ClaimFacts) => claim.contact?.lastActivityAt?.getTime() ?? Number.NEGATIVE_INFINITY;

/**
 * Strongest reasons first; among equals, the claim quiet the most days, then the one whose contact
 * saw the least activity at all; then by domain, so the order never varies.
 */
function compare<T extends ClaimFacts>(a: ReleaseSuggestion<T>, b: ReleaseSuggestion<T>): number {
  return (
    weightOf(b.reasons) - weightOf(a.reasons) ||
    quietDay(a) - quietDay(b) ||
    Math.sign(activityTime(a.claim) - activityTime(b.claim)) ||
    (a.claim.domain < b.claim.domain ? -1 : a.claim.domain > b.claim.domain ? 1 : 0)
  );
}

/**
 * The claims to suggest, best first: every claim with a reason, then — when `needed` is more
 * than those — the least recently active of the others, up to `needed`.
 */
export function rankReleaseSuggestions<T extends ClaimFacts>(claims: T[], rules: SuggestionRules, needed = 0): Array<ReleaseSuggestion<T>> {
  const all = claims.map((claim) => ({
    claim,
    reasons: reasonsToRelease(claim, rules),
    quietSince: latest(claim.contact?.lastActivityAt, claim.registeredAt, claim.renewedAt),
  }));
  const suggested = all.filter((suggestion) => suggestion.reasons.length > 0).sort(compare);
  if (suggested.length >= needed) return suggested;
  const fillers = all
    .filter((suggestion) => suggestion.reasons.length === 0)
    .sort(compare)
    .slice(0, needed - suggested.length)
    .map((suggestion) => ({ ...suggestion, reasons: [{ code: 'least_active' } as const] }));
  return [...suggested, ...fillers];
}
