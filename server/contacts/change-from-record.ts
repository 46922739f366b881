// A contact read from HubSpot, as a change to the mirror.
import type { HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import type { ContactChange } from './apply-contact-change.js';

/**
 * Stamped with the contact's last modification in HubSpot (never before `notBefore`, the event
 * that made us read it): every value read is at least that new.
 */
export function changeFromRecord(portalId: number, record: HubSpotContactRecord, notBefore = 0): ContactChange {
  const modified = record.updatedAt ? Date.parse(record.updatedAt) : Number.NaN;
  return { portalId, contactId: record.id, update: { properties: record.properties, changedAt: Number.isFinite(modified) ? Math.max(modified, notBefore) : Math.max(Date.now(), notBefore) } };
}
