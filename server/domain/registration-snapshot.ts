// What a registration remembers of its contact.
//
// At registration the contact's fields are copied into the registration and never change
// afterwards, whatever happens to the contact in HubSpot: the registered domain is the one the
// website had at that moment (see the capacity article in shared/seeds/).
import { displayDomain } from './registrable-domain.js';
import { searchTextOf } from './search-text.js';
import { cutText } from './storable-text.js';

/** The contact as the registration sees it, at the moment of registering. */
export interface ContactAtRegistration {
  contactId: string;
  website: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  country?: string | null;
}

export interface RegistrationSnapshot {
  domain: string;
  website: string;
  companyName: string | null;
  contactName: string | null;
  country: string | null;
  contactId: string;
  searchText: string;
}

const MAX_FIELD_LENGTH = 500;

/**
 * A field as the registration keeps it: spaces collapsed, cut to MAX_FIELD_LENGTH, never in the
 * middle of a surrogate pair (half a pair is text PostgreSQL refuses: a name cut in an emoji
 * failed the registration's insert, and with it every contact of a webhook job).
 */
function cleaned(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : cutText(trimmed, MAX_FIELD_LENGTH);
}

/** A person's name from first and last name, falling back to the email address. */
export function contactNameOf(contact: Pick<ContactAtRegistration, 'firstName' | 'lastName' | 'email'>): string | null {
  return cleaned([contact.firstName, contact.lastName].filter(Boolean).join(' ')) ?? cleaned(contact.email);
}

export function snapshotOf(contact: ContactAtRegistration, domain: string): RegistrationSnapshot {
  const companyName = cleaned(contact.company);
  const contactName = contactNameOf(contact);
  const country = cleaned(contact.country);
  return {
    domain,
    website: cutText((contact.website ?? '').trim(), 2048),
    companyName,
    contactName,
    country,
    contactId: contact.contactId,
    searchText: searchTextOf([...new Set([domain, displayDomain(domain)]), companyName, contactName, country]),
  };
}
