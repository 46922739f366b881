// A registration as the rest of the app sees it: ids as strings (they are 64-bit in the
// database), dates as ISO strings, the domain also in its Unicode form.
import { displayDomain } from '../domain/registrable-domain.js';
import type { Registration } from '../db/generated/client.js';

export interface RegistrationView {
  id: string;
  portalId: number;
  domain: string;
  displayDomain: string;
  status: 'active' | 'deregistered';
  website: string;
  companyName: string | null;
  contactName: string | null;
  country: string | null;
  contactId: string;
  registeredAt: string;
  registeredBy: string;
  channel: 'card' | 'automatic' | 'operator';
  deregisteredAt: string | null;
  deregisteredBy: string | null;
  deregistrationJobId: string | null;
}

export function registrationView(row: Registration): RegistrationView {
  return {
    id: row.id.toString(),
    portalId: Number(row.portalId),
    domain: row.domain,
    displayDomain: displayDomain(row.domain),
    status: row.status,
    website: row.website,
    companyName: row.companyName,
    contactName: row.contactName,
    country: row.country,
    contactId: row.contactId,
    registeredAt: row.registeredAt.toISOString(),
    registeredBy: row.registeredBy,
    channel: row.channel,
    deregisteredAt: row.deregisteredAt?.toISOString() ?? null,
    deregisteredBy: row.deregisteredBy,
    deregistrationJobId: row.deregistrationJobId,
  };
}
