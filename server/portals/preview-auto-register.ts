// What the "register every new contact that has a website" rule would have done over the last
// 30 days of the contact mirror, shown before a portal turns it on: how many new contacts had a
// website, how many of their domains it would have registered, how many it would have refused
// because the capacity was full, and the capacity it would leave. A preview, not a replay: it
// counts from the mirror as it is now (contacts created in it during the window, deleted and
// merged ones left out) against today's capacity, one registration per new domain, in the order
// the contacts arrived — the order the rule answers them.
import type { Database } from '../db/client.js';
import { refusedAsFreeMail } from '../domain/free-mail-domains.js';
import { registrableDomainOf } from '../domain/registrable-domain.js';
import { getCapacity } from '../registrations/get-capacity.js';

export const PREVIEW_DAYS = 30;

export interface AutoRegisterPreview {
  days: number;
  /** New contacts in the window that have a website. */
  contacts: number;
  /** Domains the rule would have registered. */
  wouldRegister: number;
  /** Domains it would have refused because the capacity was full. */
  refusedForCapacity: number;
  /** Contacts whose domain is already registered (here, or by another contact of the window). */
  alreadyRegistered: number;
  /** Contacts whose website cannot be registered (not a domain, or a free e-mail provider's). */
  notRegistrable: number;
  remainingNow: number;
  remainingAfter: number;
}

export interface PreviewInput {
  /** Websites of the window's new contacts, oldest first. */
  websites: ReadonlyArray<string>;
  activeDomains: ReadonlySet<string>;
  remaining: number;
  allowedFreeMailDomains?: ReadonlySet<string>;
}

/** The rule's answers, counted (pure: the use case below reads its input). */
export function planAutoRegisterPreview({ websites, activeDomains, remaining, allowedFreeMailDomains = new Set() }: PreviewInput): Omit<AutoRegisterPreview, 'days'> {
  const taken = new Set(activeDomains);
  let wouldRegister = 0;
  let refusedForCapacity = 0;
  let alreadyRegistered = 0;
  let notRegistrable = 0;
  for (const website of websites) {
    const result = registrableDomainOf(website);
    if (!result.ok || refusedAsFreeMail(result.domain, allowedFreeMailDomains)) notRegistrable += 1;
    else if (taken.has(result.domain)) alreadyRegistered += 1;
    else if (wouldRegister < remaining) {
      wouldRegister += 1;
      taken.add(result.domain);
    } else refusedForCapacity += 1;
  }
  return { contacts: websites.length, wouldRegister, refusedForCapacity, alreadyRegistered, notRegistrable, remainingNow: remaining, remainingAfter: remaining - wouldRegister };
}

export async function previewAutoRegister(db: Database, { portalId, now = new Date() }: { portalId: number; now?: Date }): Promise<AutoRegisterPreview | null> {
  const capacity = await getCapacity(db, { portalId });
  if (!capacity) return null;
  const since = new Date(now.getTime() - PREVIEW_DAYS * 24 * 3600_000);
  const [contacts, active, allowedFreeMail] = await Promise.all([
    db.$queryRaw<Array<{ website: string }>>`
      SELECT website FROM contacts
      WHERE portal_id = ${BigInt(portalId)} AND created_at >= ${since} AND deleted_at IS NULL AND merged_into_contact_id IS NULL
        AND website IS NOT NULL AND btrim(website) <> ''
      ORDER BY created_at, contact_id`,
    db.$queryRaw<Array<{ domain: string }>>`SELECT domain FROM registrations WHERE portal_id = ${BigInt(portalId)} AND status = 'active'`,
    db.allowedFreeMailDomain.findMany({ select: { domain: true } }),
  ]);
  return {
    days: PREVIEW_DAYS,
    ...planAutoRegisterPreview({
      websites: contacts.map((row) => row.website),
      activeDomains: new Set(active.map((row) => row.domain)),
      remaining: capacity.remaining,
      allowedFreeMailDomains: new Set(allowedFreeMail.map((row) => row.domain)),
    }),
  };
}
