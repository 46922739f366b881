// A contact as HubSpot holds it right now, in the shape a registration snapshots.
import type { ContactAtRegistration } from '../domain/registration-snapshot.js';
import { CONTACT_PROPERTIES_READ } from './app-properties.js';
import type { HubSpotContactRecord, PortalHubSpotApi } from './hubspot-api.js';

export function contactAtRegistration(record: HubSpotContactRecord): ContactAtRegistration {
  const value = (name: string) => record.properties[name] ?? null;
  return {
    contactId: record.id,
    website: value('website'),
    firstName: value('firstname'),
    lastName: value('lastname'),
    email: value('email'),
    company: value('company'),
    country: value('country'),
  };
}

/** Reads the contact from HubSpot (not the mirror): null when HubSpot does not have it. */
export async function readContact(api: PortalHubSpotApi, contactId: string): Promise<ContactAtRegistration | null> {
  const record = await api.getContact(contactId, CONTACT_PROPERTIES_READ);
  return record ? contactAtRegistration(record) : null;
}
