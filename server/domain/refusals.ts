// Why a registration was refused: a stable code for programs, a sentence for people.
//
// Every sentence says what to do next. The details carry the facts the sentence is made of,
// so the card and the Capacity Manager can say the same in another language.
import type { Capacity } from './capacity.js';
import { displayDomain } from './registrable-domain.js';

export type RegistrationRefusal =
  | { code: 'NO_WEBSITE'; message: string; details: { contactId: string } }
  | { code: 'INVALID_WEBSITE'; message: string; details: { contactId: string; website: string; reason: string } }
  | { code: 'FREE_MAIL_DOMAIN'; message: string; details: { contactId: string; domain: string } }
  | {
      code: 'ALREADY_REGISTERED';
      message: string;
      details: {
        domain: string;
        registrationId: string;
        registeredAt: string;
        contactId: string;
        contactName: string | null;
        sameContact: boolean;
      };
    }
  | { code: 'CAPACITY_FULL'; message: string; details: Pick<Capacity, 'used' | 'limit' | 'tier'> }
  | {
      code: 'DOMAIN_HELD';
      message: string;
      /** Never which partner holds it: only that one does, since when and until when. */
      details: { contactId: string; domain: string; heldSince: string; heldUntil: string | null; canJoinWaitlist: true };
    }
  | { code: 'PORTAL_NOT_FOUND'; message: string; details: { portalId: number } };

export type RegistrationRefusalCode = RegistrationRefusal['code'];

export function noWebsite(contactId: string): RegistrationRefusal {
  return {
    code: 'NO_WEBSITE',
    message: "This contact has no website, so there is no domain to register. Add the company's website to the contact's Website URL property, then register again.",
    details: { contactId },
  };
}

export function invalidWebsite(contactId: string, website: string, reason: string): RegistrationRefusal {
  return {
    code: 'INVALID_WEBSITE',
    message: `The contact's website "${website}" cannot be registered: ${reason}. Correct the contact's Website URL property, then register again.`,
    details: { contactId, website, reason },
  };
}

export function freeMailDomain(contactId: string, domain: string): RegistrationRefusal {
  return {
    code: 'FREE_MAIL_DOMAIN',
    message: `${displayDomain(domain)} belongs to a free e-mail or internet provider, not to the company, so it cannot be registered. Put the company's own website in the contact's Website URL property, then register again.`,
    details: { contactId, domain },
  };
}

export function alreadyRegistered(
  requestingContactId: string,
  existing: { domain: string; registrationId: string; registeredAt: Date; contactId: string; contactName: string | null },
): RegistrationRefusal {
  const sameContact = existing.contactId === requestingContactId;
  const when = existing.registeredAt.toISOString().slice(0, 10);
  const through = sameContact ? 'through this contact' : `through contact ${existing.contactName ? `${existing.contactName} (${existing.contactId})` : existing.contactId}`;
  return {
    code: 'ALREADY_REGISTERED',
    message: `${displayDomain(existing.domain)} is already registered to your portal, since ${when} ${through}. A domain is registered once; nothing more is needed.`,
    details: { ...existing, registeredAt: existing.registeredAt.toISOString(), sameContact },
  };
}

/**
 * Exclusive claims (domain/claims.ts): another partner of the program holds the domain. The
 * holder is never named — partners compete for the same prospects — but the partner learns since
 * when, until when if claims expire, and that it can wait for the domain.
 */
export function domainHeld(contactId: string, held: { domain: string; heldSince: Date; heldUntil: Date | null }): RegistrationRefusal {
  const since = held.heldSince.toISOString().slice(0, 10);
  const until = held.heldUntil ? ` until ${held.heldUntil.toISOString().slice(0, 10)} unless renewed` : '';
  return {
    code: 'DOMAIN_HELD',
    message: `${displayDomain(held.domain)} is held by another partner of the program since ${since}${until}. Join the waitlist to get it registered to you automatically when it is released.`,
    details: { contactId, domain: held.domain, heldSince: held.heldSince.toISOString(), heldUntil: held.heldUntil?.toISOString() ?? null, canJoinWaitlist: true },
  };
}

export function capacityFull(capacity: Pick<Capacity, 'used' | 'limit' | 'tier'>): RegistrationRefusal {
  return {
    code: 'CAPACITY_FULL',
    message: `Your capacity is full: ${capacity.used} of ${capacity.limit} domains are registered (${capacity.tier} tier). Deregister domains you no longer work on in the Capacity Manager, then register again.`,
    details: { used: capacity.used, limit: capacity.limit, tier: capacity.tier },
  };
}

export function portalNotFound(portalId: number): RegistrationRefusal {
  return {
    code: 'PORTAL_NOT_FOUND',
    message: `HubSpot account ${portalId} has not installed Partner Capacity. Install the app in that account first.`,
    details: { portalId },
  };
}
