// The audit trail's words for every action the database can record, in both languages.
import { describe, expect, it } from 'vitest';
import { AuditAction } from '../../../db/generated/enums.js';
import type { AuditEventView } from './api.js';
import { describeAuditEvent } from './describe-audit-event.js';
import { createI18n } from './i18n.js';

const event = (action: string, details: unknown, channel: string | null = null): AuditEventView =>
  ({ id: '1', at: '2026-11-24T12:00:00.000Z', action, actor: 'waitlist', channel, domain: 'acme.com', jobId: null, details }) as unknown as AuditEventView;

describe('describeAuditEvent', () => {
  for (const locale of ['en', 'sv'] as const) {
    it(`names every audit action in ${locale}, never its code`, () => {
      const { t } = createI18n(locale);
      for (const action of Object.values(AuditAction)) expect(t.audit.actions[action], action).toBeTruthy();
    });
  }

  it('says a passed-over waiting partner keeps its place, and how often it was passed over', () => {
    const { t } = createI18n('en');
    expect(describeAuditEvent(event('waitlist_skipped', { waitlistEntryId: '9', skipCount: 2, reason: 'no room' }, 'waitlist'), t)).toBe(
      'waitlist · keeps its place in line (passed over 2 times)',
    );
    const sv = createI18n('sv').t;
    expect(describeAuditEvent(event('waitlist_skipped', { skipCount: 1 }, 'waitlist'), sv)).toBe('kön · behåller sin plats i kön (överhoppad en gång)');
  });

  it('words a DOMAIN_HELD refusal and the new channels in the page language', () => {
    const { t } = createI18n('sv');
    expect(describeAuditEvent(event('registration_refused', { code: 'DOMAIN_HELD' }, 'expiry'), t)).toBe('anspråkets utgång · innehas av en annan partner');
  });
});
