// What the Lead Registration card shows for one contact: its registration (through this contact
// or through another contact of the same domain), the contact's current website, the portal's
// capacity with its alert level, and a fresh "Manage your capacity" link. With a claim period,
// the registration's expiry: whether it is expiring soon and how many renewals are left.
//
// The current website comes from the contact mirror when the app has the contact, else from
// HubSpot (interactive lane); a registration itself never changes with the website: when they
// differ the card says so. A contact not registered whose domain another partner holds shows
// since when and until when (never who), and this portal's place in the waitlist if it waits.
import type { Database } from '../db/client.js';
import type { AppConfig } from '../config/config.js';
import { displayDomain, registrableDomainOf } from '../domain/registrable-domain.js';
import type { ContactAtRegistration } from '../domain/registration-snapshot.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import { HubSpotDisconnectedError } from '../hubspot/hubspot-errors.js';
import { readContact } from '../hubspot/read-contact.js';
import { getCapacity } from '../registrations/get-capacity.js';
import { hasRoomForOneMore } from '../domain/capacity.js';
import { claimExpiry } from '../domain/claims.js';
import { refusedAsFreeMail } from '../domain/free-mail-domains.js';
import { capacityFull, freeMailDomain, invalidWebsite, noWebsite } from '../domain/refusals.js';
import { contactRecordUrl } from '../hubspot/record-url.js';
import { capacityAlertLevel } from '../capacity-manager/capacity-alert.js';
import { issueCardLink } from '../capacity-manager/card-link.js';
import type { Locale } from '../capacity-manager/locale.js';
import type { CannotRegister, CardState } from '../../extensions/src/app/cards/card-api-contract.js';
import { getWaitlistStanding } from '../waitlist/waitlist-position.js';
import { getProgramSettings } from '../program/program-settings.js';
import type { CardCaller } from './card-caller.js';

export interface CardStateDeps {
  config: AppConfig;
  db: Database;
  hubspot: HubSpot;
}

export interface GetCardStateInput {
  caller: CardCaller;
  contactId: string;
  locale: Locale;
  /** The contact as just read from HubSpot, when the caller has it (after a registration). */
  contact?: ContactAtRegistration;
}

/** Why the card cannot show a contact now: states it expects and explains, not failures. */
export type CardUnavailable = 'APP_NOT_CONNECTED' | 'CONTACT_NOT_FOUND';

export type CardStateResult = { ok: true; state: CardState } | { ok: false; code: CardUnavailable };

/** The contact's website now: from the mirror when it holds the contact, else from HubSpot. */
async function currentWebsite(deps: CardStateDeps, portalId: number, contactId: string): Promise<{ found: true; website: string | null } | { found: false }> {
  const mirrored = await deps.db.contact.findUnique({
    where: { portalId_contactId: { portalId: BigInt(portalId), contactId } },
    select: { website: true, deletedAt: true, mergedIntoContactId: true },
  });
  if (mirrored && !mirrored.deletedAt && !mirrored.mergedIntoContactId) return { found: true, website: mirrored.website };
  const contact = await readContact(deps.hubspot.api.forPortal(portalId, 'interactive'), contactId);
  return contact ? { found: true, website: contact.website } : { found: false };
}

export async function getCardState(deps: CardStateDeps, input: GetCardStateInput): Promise<CardStateResult> {
  const { portalId } = input.caller;
  const portal = await deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { installState: true, uiDomain: true } });
  if (!portal || portal.installState === 'disconnected') return { ok: false, code: 'APP_NOT_CONNECTED' };

  let website: { found: true; website: string | null } | { found: false };
  try {
    website = input.contact ? { found: true, website: input.contact.website } : await currentWebsite(deps, portalId, input.contactId);
  } catch (error) {
    if (error instanceof HubSpotDisconnectedError) return { ok: false, code: 'APP_NOT_CONNECTED' };
    throw error;
  }
  if (!website.found) return { ok: false, code: 'CONTACT_NOT_FOUND' };

  const current = registrableDomainOf(website.website);
  const currentDomain = current.ok ? current.domain : null;
  const [capacity, registrations, allowedFreeMail, settings] = await Promise.all([
    getCapacity(deps.db, { portalId }),
    deps.db.registration.findMany({
      where: { portalId: BigInt(portalId), status: 'active', OR: [{ contactId: input.contactId }, ...(currentDomain ? [{ domain: currentDomain }] : [])] },
      orderBy: { registeredAt: 'desc' },
      take: 2,
    }),
    currentDomain ? deps.db.allowedFreeMailDomain.findMany({ where: { domain: currentDomain }, select: { domain: true } }) : [],
    getProgramSettings(deps.db),
  ]);
  if (!capacity) return { ok: false, code: 'APP_NOT_CONNECTED' };

  // This contact's own registration first; else the one its current domain already has.
  const registration = registrations.find((row) => row.contactId === input.contactId) ?? registrations[0] ?? null;
  const throughThisContact = registration?.contactId === input.contactId;
  // Expiring soon and the renewals left are the program's policy: decided here, shown by the card.
  const expiry = registration && claimExpiry(registration, settings, new Date());
  // Not registered here: another partner may hold the domain, and this portal may wait for it.
  const standing = !registration && currentDomain ? await getWaitlistStanding(deps.db, { portalId, domain: currentDomain }) : { held: null, waiting: null };

  // The rules a click on Register would run (registrations/register-contacts.ts), in the same
  // order, so the card can disable Register with the reason instead of offering a refusal.
  // The click still runs them under the portal's lock: this is a preview, not a promise.
  const cannotRegister = ((): CannotRegister | null => {
    if (registration) return null;
    if (!current.ok) {
      return (current.code === 'NO_WEBSITE' ? noWebsite(input.contactId) : invalidWebsite(input.contactId, (website.website ?? '').trim(), current.reason)) as CannotRegister;
    }
    if (refusedAsFreeMail(current.domain, new Set(allowedFreeMail.map((row) => row.domain)))) return freeMailDomain(input.contactId, current.domain) as CannotRegister;
    if (!hasRoomForOneMore(capacity)) return capacityFull(capacity) as CannotRegister;
    return null;
  })();

  return {
    ok: true,
    state: {
      contact: {
        id: input.contactId,
        website: website.website,
        currentDomain,
        currentDisplayDomain: currentDomain ? displayDomain(currentDomain) : null,
      },
      registration: registration && {
        id: registration.id.toString(),
        domain: registration.domain,
        displayDomain: displayDomain(registration.domain),
        registeredAt: registration.registeredAt.toISOString(),
        registeredBy: registration.registeredBy,
        channel: registration.channel,
        contactId: registration.contactId,
        contactName: registration.contactName,
        contactUrl: contactRecordUrl(portalId, registration.contactId, portal.uiDomain ?? undefined),
        throughThisContact,
        expiry: expiry && { expiresAt: expiry.expiresAt.toISOString(), expiringSoon: expiry.expiringSoon, renewalsLeft: expiry.renewalsLeft },
      },
      domainHeld: standing.held && { heldSince: standing.held.heldSince.toISOString(), heldUntil: standing.held.heldUntil?.toISOString() ?? null },
      waitlist: standing.waiting && {
        domain: currentDomain!,
        displayDomain: displayDomain(currentDomain!),
        position: standing.waiting.position,
        joinedAt: standing.waiting.joinedAt.toISOString(),
        skipCount: standing.waiting.skipCount,
        skippedAt: standing.waiting.skippedAt?.toISOString() ?? null,
      },
      websiteChanged: Boolean(registration && throughThisContact && registration.domain !== currentDomain),
      cannotRegister,
      capacity: { used: capacity.used, limit: capacity.limit, remaining: capacity.remaining, tier: capacity.tier, alertLevel: capacityAlertLevel(capacity) },
      // On the contact's registered domain; a contact not registered opens the whole list, where
      // capacity is freed (its unregistered domain would only show an empty search).
      manageLink: issueCardLink(deps, input.caller, input.locale, { search: registration?.domain ?? null }),
    },
  };
}
