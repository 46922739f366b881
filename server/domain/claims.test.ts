import { describe, expect, it } from 'vitest';
import { claimExpiry, claimPeriodFor, DEFAULT_PROGRAM_SETTINGS, expiryAfterPeriodChange, renewal, settingsProblems } from './claims.js';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-24T12:00:00Z');
const daysFromNow = (days: number) => new Date(now.getTime() + days * day);

describe('claim periods', () => {
  it('uses the tier override before the program period', () => {
    const settings = { claimPeriodDays: 90, claimPeriodDaysByTier: { diamond: 365 } };
    expect(claimPeriodFor(settings, 'diamond')).toBe(365);
    expect(claimPeriodFor(settings, 'gold')).toBe(90);
    expect(claimPeriodFor({ claimPeriodDays: null, claimPeriodDaysByTier: {} }, 'gold')).toBeNull();
  });

  it('never makes a claim end sooner than 14 days after a change, unless it was due sooner already', () => {
    // A year-old claim given a 30-day period would have ended 335 days ago: it gets 14 days.
    expect(expiryAfterPeriodChange({ start: daysFromNow(-365), expiresAt: null }, 30, now)).toEqual(daysFromNow(14));
    // A claim due in 5 days keeps its 5 days (the change does not shorten it, nor extend it).
    expect(expiryAfterPeriodChange({ start: daysFromNow(-85), expiresAt: daysFromNow(5) }, 30, now)).toEqual(daysFromNow(5));
    // A longer period counts from the claim's start.
    expect(expiryAfterPeriodChange({ start: daysFromNow(-10), expiresAt: daysFromNow(20) }, 180, now)).toEqual(daysFromNow(170));
    // No period: no expiry.
    expect(expiryAfterPeriodChange({ start: daysFromNow(-10), expiresAt: daysFromNow(20) }, null, now)).toBeNull();
  });

  it('renews for one period from now, as often as the program allows', () => {
    expect(renewal({ renewals: 0 }, { renewalsAllowed: 2 }, 90, now)).toEqual({ ok: true, expiresAt: daysFromNow(90) });
    expect(renewal({ renewals: 2 }, { renewalsAllowed: 2 }, 90, now)).toMatchObject({ ok: false, code: 'NO_RENEWALS_LEFT' });
    expect(renewal({ renewals: 0 }, { renewalsAllowed: 2 }, null, now)).toMatchObject({ ok: false, code: 'NOT_EXPIRING' });
  });
});

describe('claim expiry as the partner sees it', () => {
  it('is expiring soon within the first (largest) reminder window, and counts the renewals left', () => {
    const settings = { reminderDays: [14, 3], renewalsAllowed: 2 };
    expect(claimExpiry({ expiresAt: daysFromNow(14), renewals: 0 }, settings, now)).toEqual({ expiresAt: daysFromNow(14), expiringSoon: true, renewalsLeft: 2 });
    expect(claimExpiry({ expiresAt: daysFromNow(15), renewals: 1 }, settings, now)).toEqual({ expiresAt: daysFromNow(15), expiringSoon: false, renewalsLeft: 1 });
    expect(claimExpiry({ expiresAt: daysFromNow(2), renewals: 3 }, settings, now)).toMatchObject({ expiringSoon: true, renewalsLeft: 0 });
    // Another program's reminders; none configured means 14 days.
    expect(claimExpiry({ expiresAt: daysFromNow(20), renewals: 0 }, { reminderDays: [30], renewalsAllowed: 0 }, now)).toMatchObject({ expiringSoon: true, renewalsLeft: 0 });
    expect(claimExpiry({ expiresAt: daysFromNow(10), renewals: 0 }, { reminderDays: [], renewalsAllowed: 1 }, now)).toMatchObject({ expiringSoon: true });
  });

  it('is null for a claim that never expires', () => {
    expect(claimExpiry({ expiresAt: null, renewals: 0 }, DEFAULT_PROGRAM_SETTINGS, now)).toBeNull();
  });
});

describe('settingsProblems', () => {
  it('accepts the defaults and says what to fix otherwise', () => {
    expect(settingsProblems(DEFAULT_PROGRAM_SETTINGS)).toEqual([]);
    const problems = settingsProblems({
      ...DEFAULT_PROGRAM_SETTINGS,
      claimPeriodDays: 0,
      claimPeriodDaysByTier: { bronze: 3 } as never,
      reminderDays: [3, 3],
      renewalsAllowed: -1,
    });
    expect(problems).toHaveLength(4);
    expect(problems.join(' ')).toMatch(/claim period must be a whole number of days from 1 to 3650.*"bronze" is not a tier/);
  });
});
