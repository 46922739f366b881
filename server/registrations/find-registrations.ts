// Finds a portal's registrations for the Capacity Manager: search, sort, pages, status.
//
// Search is a case- and accent-insensitive substring match on domain, company, contact name
// and country, through each registration's folded search text (domain/search-text.ts). Every
// query is bounded by its portal: the planner starts from (portal_id, status, …) indexes, so
// the cost grows with one portal's registrations, never with the whole table. Sorting is
// case-insensitive, with the id as tie-breaker so that pages never overlap or skip.
import { foldForSearch } from '../domain/search-text.js';
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { registrationRowColumns, registrationView, type RegistrationRow, type RegistrationView } from './registration-view.js';

export const REGISTRATION_SORT_FIELDS = ['domain', 'companyName', 'contactName', 'country', 'registeredAt'] as const;
export type RegistrationSortField = (typeof REGISTRATION_SORT_FIELDS)[number];
export const REGISTRATION_STATUS_FILTERS = ['active', 'deregistered', 'all'] as const;
export type RegistrationStatusFilter = (typeof REGISTRATION_STATUS_FILTERS)[number];
export const MAX_PAGE_SIZE = 100;

export interface FindRegistrationsInput {
  portalId: number;
  search?: string;
  sortBy?: RegistrationSortField;
  sortDirection?: 'asc' | 'desc';
  /** 1-based. */
  page?: number;
  /** 1 to 100. */
  pageSize?: number;
  status?: RegistrationStatusFilter;
}

export interface RegistrationPage {
  items: RegistrationView[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const SORT_EXPRESSIONS: Record<RegistrationSortField, Prisma.Sql> = {
  domain: Prisma.sql`domain`,
  companyName: Prisma.sql`lower(company_name)`,
  contactName: Prisma.sql`lower(contact_name)`,
  country: Prisma.sql`lower(country)`,
  registeredAt: Prisma.sql`registered_at`,
};

const STATUSES: Record<RegistrationStatusFilter, string[]> = {
  active: ['active'],
  deregistered: ['deregistered'],
  all: ['active', 'deregistered'],
};

/** `LIKE` pattern for a substring, with LIKE's own wildcards taken literally. */
export function substringPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function registrationFilter({ portalId, search, status = 'active' }: Pick<FindRegistrationsInput, 'portalId' | 'search' | 'status'>): Prisma.Sql {
  const term = foldForSearch(search ?? '');
  return Prisma.sql`portal_id = ${BigInt(portalId)}
    AND status = ANY(${STATUSES[status]}::registration_status[])
    ${term ? Prisma.sql`AND search_text LIKE ${substringPattern(term)}` : Prisma.empty}`;
}

export function findRegistrationsQuery(input: FindRegistrationsInput): Prisma.Sql {
  const { sortBy = 'registeredAt', sortDirection = sortBy === 'registeredAt' ? 'desc' : 'asc' } = input;
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? MAX_PAGE_SIZE;
  const direction = sortDirection === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  return Prisma.sql`
    SELECT ${Prisma.raw(registrationRowColumns())}, count(*) OVER ()::int AS "totalCount"
    FROM registrations
    WHERE ${registrationFilter(input)}
    ORDER BY ${SORT_EXPRESSIONS[sortBy]} ${direction} NULLS LAST, id ${direction}
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
}

export async function findRegistrations(db: Database, input: FindRegistrationsInput): Promise<RegistrationPage> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const rows = await db.$queryRaw<(RegistrationRow & { totalCount: number })[]>(findRegistrationsQuery({ ...input, page, pageSize }));
  // Past the last page there is no row to carry the total: count separately, only then.
  const total =
    rows[0]?.totalCount ?? (page === 1 ? 0 : (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM registrations WHERE ${registrationFilter(input)}`)[0]!.n);
  return {
    items: rows.map(registrationView),
    total,
    page,
    pageSize,
    pageCount: Math.ceil(total / pageSize),
  };
}
