// What an audit event's details say, in the page's language: the channel and job, a refusal by
// its code, an undo as "re-registered by undoing job …", a renewal as its new expiry, and a
// settings, tier or limit change as before → after.
import type { AuditEventView } from './api.js';
import type { Messages, Tier } from './i18n.js';

type Details = Record<string, unknown>;

function isDetails(value: unknown): value is Details {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One setting's value as people read it. */
function settingValue(name: string, value: unknown, t: Messages): string {
  if (typeof value === 'boolean') return value ? t.audit.on : t.audit.off;
  if (value === null || value === undefined) return name === 'limitOverride' ? t.audit.tierLimit : '—';
  if (name === 'tier' && typeof value === 'string') return t.tiers[value as Tier] ?? value;
  return String(value);
}

/** "Register every new contact…: off → on", one per changed setting. */
function changes(before: Details, after: Details, t: Messages): string[] {
  return Object.keys(after)
    .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
    .map((name) => `${t.audit.settingNames[name] ?? name}: ${settingValue(name, before[name], t)} → ${settingValue(name, after[name], t)}`);
}

/** `formatDate` words a renewal's dates (the page's date and time format); without it they stay ISO. */
export function describeAuditEvent(event: AuditEventView, t: Messages, formatDate: (iso: string) => string = (iso) => iso): string {
  const details = isDetails(event.details) ? event.details : null;
  const undoOfJob = details && typeof details.undoOfJob === 'string' ? details.undoOfJob.slice(0, 8) : null;
  const parts: string[] = [];
  if (event.action === 'registration_created' && undoOfJob) parts.push(t.audit.reregisteredByUndo(undoOfJob));
  else if (event.action === 'registration_refused' && undoOfJob) parts.push(t.audit.notReregisteredByUndo(undoOfJob));
  else {
    if (event.channel) parts.push(t.channels[event.channel] ?? event.channel);
    if (event.jobId) parts.push(t.audit.job(event.jobId.slice(0, 8)));
  }
  // A renewal by its new expiry; a refusal by its code, in the page's language (the stored sentence is English).
  if (event.action === 'registration_renewed' && details && typeof details.expiresAt === 'string') {
    parts.push(t.audit.renewedUntil(formatDate(details.expiresAt), typeof details.expiresAtBefore === 'string' ? formatDate(details.expiresAtBefore) : '—'));
  } else if (event.action === 'waitlist_skipped' && details && typeof details.skipCount === 'number') {
    parts.push(t.audit.passedOver(details.skipCount));
  } else if (details && typeof details.code === 'string') parts.push(t.audit.refusals[details.code] ?? details.code);
  else if (details && isDetails(details.before) && isDetails(details.after)) parts.push(...changes(details.before, details.after, t));
  else if (details && typeof details.website === 'string') parts.push(details.website);
  return parts.join(' · ');
}
