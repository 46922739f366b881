import { describe, expect, it } from 'vitest';
import { type ClaimContact, type ClaimFacts, rankReleaseSuggestions, reasonsToRelease, releaseNeeded } from './release-suggestions.js';

const now = new Date('2026-11-24T12:00:00.000Z');
const rules = { now, inactivityDays: 90, expiringWithinDays: 14 };
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600_000);
const inDays = (days: number) => new Date(now.getTime() + days * 24 * 3600_000);

function claim(domain: string, facts: Partial<Omit<ClaimFacts, 'contact'>> = {}, contact: Partial<ClaimContact> | null = {}): ClaimFacts {
  return {
    domain,
    registeredAt: daysAgo(10),
    channel: 'card',
    expiresAt: null,
    renewedAt: null,
    ...facts,
    contact: contact === null ? null : { deleted: false, mergedInto: null, leadStatus: null, lifecycleStage: null, lastActivityAt: daysAgo(1), ...contact },
  };
}

const codes = (facts: ClaimFacts) => reasonsToRelease(facts, rules).map((reason) => reason.code);

describe('reasonsToRelease', () => {
  it('keeps a claim that is being worked on', () => {
    expect(reasonsToRelease(claim('busy.com', {}, { leadStatus: 'IN_PROGRESS', lifecycleStage: 'opportunity' }), rules)).toEqual([]);
  });

  it('says when the contact was deleted or merged away', () => {
    expect(codes(claim('gone.com', {}, { deleted: true }))).toEqual(['contact_deleted']);
    expect(reasonsToRelease(claim('merged.com', {}, { deleted: true, mergedInto: '42' }), rules)).toEqual([{ code: 'contact_merged', mergedInto: '42' }]);
  });

  it('reads a lost lead from the lead status or the lifecycle stage, and only from the values it knows', () => {
    expect(reasonsToRelease(claim('a.com', {}, { leadStatus: 'UNQUALIFIED' }), rules)).toEqual([{ code: 'lead_lost', leadStatus: 'UNQUALIFIED', lifecycleStage: null }]);
    expect(codes(claim('b.com', {}, { leadStatus: 'BAD_TIMING' }))).toEqual(['lead_lost']);
    expect(reasonsToRelease(claim('c.com', {}, { lifecycleStage: 'other' }), rules)).toEqual([{ code: 'lead_lost', leadStatus: null, lifecycleStage: 'other' }]);
    for (const leadStatus of ['NEW', 'OPEN', 'CONNECTED', 'ATTEMPTED_TO_CONTACT', 'unqualified']) expect(codes(claim('d.com', {}, { leadStatus }))).toEqual([]);
    // A custom stage is an id the app cannot read: no reason.
    expect(codes(claim('e.com', {}, { lifecycleStage: '1234567' }))).toEqual([]);
  });

  it('counts inactivity from the latest of the last activity, the registration and the renewal', () => {
    expect(reasonsToRelease(claim('quiet.com', { registeredAt: daysAgo(200) }, { lastActivityAt: daysAgo(91) }), rules)).toEqual([
      { code: 'inactive', idleDays: 91, lastActivityAt: daysAgo(91).toISOString() },
    ]);
    expect(codes(claim('fresh.com', { registeredAt: daysAgo(89) }, { lastActivityAt: daysAgo(400) }))).toEqual([]);
    expect(codes(claim('renewed.com', { registeredAt: daysAgo(300), renewedAt: daysAgo(30) }, { lastActivityAt: null }))).toEqual([]);
    expect(codes(claim('never.com', { registeredAt: daysAgo(90) }, { lastActivityAt: null }))).toEqual(['inactive']);
    expect(codes(claim('shorter.com', { registeredAt: daysAgo(200) }, { lastActivityAt: daysAgo(31) }))).toEqual([]);
    expect(reasonsToRelease(claim('x.com', { registeredAt: daysAgo(200) }, { lastActivityAt: daysAgo(31) }), { ...rules, inactivityDays: 30 })[0]?.code).toBe('inactive');
  });

  it('says a claim expires soon only when nothing was logged since it was made or renewed', () => {
    expect(reasonsToRelease(claim('ends.com', { expiresAt: inDays(5) }, { lastActivityAt: daysAgo(20) }), rules)).toEqual([
      { code: 'expiring_without_activity', expiresAt: inDays(5).toISOString() },
    ]);
    expect(codes(claim('worked.com', { expiresAt: inDays(5) }, { lastActivityAt: daysAgo(2) }))).toEqual([]);
    expect(codes(claim('later.com', { expiresAt: inDays(15) }, { lastActivityAt: daysAgo(20) }))).toEqual([]);
  });

  it('flags a rule’s claim nobody touched once it is a month old', () => {
    const untouched = { channel: 'automatic', registeredAt: daysAgo(30) };
    expect(codes(claim('rule.com', untouched, { lastActivityAt: daysAgo(45) }))).toEqual(['automatic_untouched']);
    expect(codes(claim('rule.com', untouched, { lastActivityAt: daysAgo(3) }))).toEqual([]);
    expect(codes(claim('young-rule.com', { channel: 'automatic', registeredAt: daysAgo(29) }, { lastActivityAt: null }))).toEqual([]);
    expect(codes(claim('renewed-rule.com', { ...untouched, renewedAt: daysAgo(1) }, { lastActivityAt: null }))).toEqual([]);
    expect(codes(claim('card.com', { registeredAt: daysAgo(30) }, { lastActivityAt: null }))).toEqual([]);
  });

  it('treats a contact the mirror never saw as one with nothing logged', () => {
    expect(codes(claim('unknown.com', { registeredAt: daysAgo(120), channel: 'automatic' }, null))).toEqual(['inactive', 'automatic_untouched']);
  });
});

describe('rankReleaseSuggestions', () => {
  it('ranks by the weight of the reasons, then by how long the claim has been quiet', () => {
    const claims = [
      claim('idle-long.com', { registeredAt: daysAgo(400) }, { lastActivityAt: daysAgo(300) }),
      claim('idle.com', { registeredAt: daysAgo(400) }, { lastActivityAt: daysAgo(100) }),
      claim('kept.com'),
      claim('deleted.com', {}, { deleted: true }),
      claim('lost.com', {}, { leadStatus: 'UNQUALIFIED' }),
      claim('lost-and-idle.com', { registeredAt: daysAgo(400) }, { leadStatus: 'BAD_TIMING', lastActivityAt: daysAgo(100) }),
    ];
    expect(rankReleaseSuggestions(claims, rules).map((suggestion) => suggestion.claim.domain)).toEqual([
      'deleted.com',
      'lost-and-idle.com',
      'lost.com',
      'idle-long.com',
      'idle.com',
    ]);
  });

  it('makes up the number needed with the least recently active claims, and only then', () => {
    const claims = [
      claim('lost.com', {}, { leadStatus: 'UNQUALIFIED' }),
      claim('recent.com', { registeredAt: daysAgo(100) }, { lastActivityAt: daysAgo(1) }),
      claim('older.com', { registeredAt: daysAgo(100) }, { lastActivityAt: daysAgo(50) }),
      claim('middle.com', { registeredAt: daysAgo(100) }, { lastActivityAt: daysAgo(20) }),
    ];
    expect(rankReleaseSuggestions(claims, rules, 0).map((suggestion) => suggestion.claim.domain)).toEqual(['lost.com']);
    const three = rankReleaseSuggestions(claims, rules, 3);
    expect(three.map((suggestion) => [suggestion.claim.domain, suggestion.reasons.map((reason) => reason.code)])).toEqual([
      ['lost.com', ['lead_lost']],
      ['older.com', ['least_active']],
      ['middle.com', ['least_active']],
    ]);
    expect(rankReleaseSuggestions(claims, rules, 10)).toHaveLength(4);
    // Claimed at the same moment: the contact with nothing ever logged goes before one worked on before the claim.
    const sameDay = [claim('worked-before.com', {}, { lastActivityAt: daysAgo(12) }), claim('never-worked.com', {}, { lastActivityAt: null })];
    expect(rankReleaseSuggestions(sameDay, rules, 2).map((suggestion) => suggestion.claim.domain)).toEqual(['never-worked.com', 'worked-before.com']);
  });
});

describe('releaseNeeded', () => {
  it('is what the status bar says: one more than the excess, nothing at or under the limit', () => {
    expect(releaseNeeded({ used: 138, limit: 100 })).toBe(39);
    expect(releaseNeeded({ used: 101, limit: 100 })).toBe(2);
    expect(releaseNeeded({ used: 100, limit: 100 })).toBe(0);
    expect(releaseNeeded({ used: 12, limit: 50 })).toBe(0);
  });
});
