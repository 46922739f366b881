// A contact read from HubSpot, as a change to the mirror.
import type { HubSpotContactRecord } from '../hubspot/hubspot-api.js';
import type { MirrorUpdate } from './mirror-merge.js';

/**
 * Stamped with the contact's last modification in HubSpot (`updatedAt` of the CRM API's contact,
 * "the date and time the contact was last updated": developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/update-contacts) (never before `notBefore`, the newest
 * event that made us read it): every value read is at least that new.
 */
export function updateFromRecord(record: HubSpotContactRecord, notBefore = 0): MirrorUpdate {
  const modified = record.updatedAt ? Date.parse(record.updatedAt) : Number.NaN;
  return { properties: record.properties, changedAt: Number.isFinite(modified) ? Math.max(modified, notBefore) : Math.max(Date.now(), notBefore) };
}
