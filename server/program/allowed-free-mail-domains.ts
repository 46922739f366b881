// The operator's exceptions to the free-mail rule (server/domain/free-mail-domains.ts): a
// domain from the free-mail list that this program registers anyway, e.g. a provider that is
// itself a partner's prospect. Allowing and disallowing are audited in the program's audit log
// in the same transaction; registration reads the allowed ones in its state read
// (registrations/register-contacts.ts).
import type { Database } from '../db/client.js';
import { isFreeMailDomain } from '../domain/free-mail-domains.js';
import { displayDomain, registrableDomainOf } from '../domain/registrable-domain.js';
import { AppError } from '../errors/app-error.js';

export interface FreeMailDomainChange {
  /** As the operator typed it: a domain or a website (normalised to its registrable domain). */
  domain: string;
  actor: string;
}

export interface FreeMailDomainChangeResult {
  domain: string;
  /** False when it was already so (nothing changed, nothing audited). */
  changed: boolean;
}

function freeMailDomainOf(given: string): string {
  const result = registrableDomainOf(given);
  if (!result.ok) throw new AppError({ kind: 'invalid', code: 'INVALID_DOMAIN', message: `"${given}" is not a domain: ${result.reason}. Give a domain such as telia.com.` });
  if (!isFreeMailDomain(result.domain)) {
    throw new AppError({
      kind: 'invalid',
      code: 'NOT_A_FREE_MAIL_DOMAIN',
      message: `${displayDomain(result.domain)} is not on the free-mail list, so it can be registered already; there is nothing to allow.`,
    });
  }
  return result.domain;
}

/** Lets the program register a domain from the free-mail list. */
export async function allowFreeMailDomain(db: Database, { domain: given, actor }: FreeMailDomainChange): Promise<FreeMailDomainChangeResult> {
  const domain = freeMailDomainOf(given);
  return db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`INSERT INTO allowed_free_mail_domains (domain, allowed_by) VALUES (${domain}, ${actor}) ON CONFLICT DO NOTHING`;
    if (inserted === 0) return { domain, changed: false };
    await tx.programAuditEvent.create({ data: { action: 'free_mail_domain_allowed', actor, details: { domain } } });
    return { domain, changed: true };
  });
}

/** Refuses a free-mail domain again; registrations already made with it stay. */
export async function disallowFreeMailDomain(db: Database, { domain: given, actor }: FreeMailDomainChange): Promise<FreeMailDomainChangeResult> {
  const domain = freeMailDomainOf(given);
  return db.$transaction(async (tx) => {
    const { count } = await tx.allowedFreeMailDomain.deleteMany({ where: { domain } });
    if (count === 0) return { domain, changed: false };
    await tx.programAuditEvent.create({ data: { action: 'free_mail_domain_disallowed', actor, details: { domain } } });
    return { domain, changed: true };
  });
}

export async function listAllowedFreeMailDomains(db: Database): Promise<Array<{ domain: string; allowedBy: string; allowedAt: Date }>> {
  return db.allowedFreeMailDomain.findMany({ orderBy: { domain: 'asc' } });
}
