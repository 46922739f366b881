// A registration as the rest of the app sees it: ids as strings (they are 64-bit in the
// database), dates as ISO strings, the domain also in its Unicode form.
import type { RegistrationChannel } from '../db/generated/client.js';
import { displayDomain } from '../domain/registrable-domain.js';

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
  channel: RegistrationChannel;
  deregisteredAt: string | null;
  deregisteredBy: string | null;
  deregistrationJobId: string | null;
  /** A privacy deletion erased the contact: the registration no longer names the person. */
  contactErased: boolean;
  /** When the claim ends unless renewed (program claim period); null: never. */
  expiresAt: string | null;
  /** Times the partner renewed the claim. */
  renewals: number;
}

/** A registrations row under the Prisma model's names; ids arrive as bigint (Prisma) or text (pg). */
export interface RegistrationRow {
  id: bigint | string;
  portalId: bigint | string | number;
  domain: string;
  status: 'active' | 'deregistered';
  website: string;
  companyName: string | null;
  contactName: string | null;
  country: string | null;
  contactId: string;
  registeredAt: Date;
  registeredBy: string;
  channel: RegistrationChannel;
  deregisteredAt: Date | null;
  deregisteredBy: string | null;
  deregistrationJobId: string | null;
  contactErasedAt?: Date | null;
  expiresAt?: Date | null;
  renewals?: number;
}

const ROW_COLUMNS: Array<[column: string, name: keyof RegistrationRow, cast?: string]> = [
  ['id', 'id'],
  ['portal_id', 'portalId'],
  ['domain', 'domain'],
  ['status', 'status', 'text'],
  ['website', 'website'],
  ['company_name', 'companyName'],
  ['contact_name', 'contactName'],
  ['country', 'country'],
  ['contact_id', 'contactId'],
  ['registered_at', 'registeredAt'],
  ['registered_by', 'registeredBy'],
  ['channel', 'channel', 'text'],
  ['deregistered_at', 'deregisteredAt'],
  ['deregistered_by', 'deregisteredBy'],
  ['deregistration_job_id', 'deregistrationJobId', 'text'],
  ['contact_erased_at', 'contactErasedAt'],
  ['expires_at', 'expiresAt'],
  ['renewals', 'renewals'],
];

/** SQL select list producing a RegistrationRow from the registrations table (or `alias`). */
export function registrationRowColumns(alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return ROW_COLUMNS.map(([column, name, cast]) => `${prefix}${column}${cast ? `::${cast}` : ''} AS "${name}"`).join(', ');
}

export function registrationView(row: RegistrationRow): RegistrationView {
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
    contactErased: Boolean(row.contactErasedAt),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    renewals: row.renewals ?? 0,
  };
}
