// Finds a portal's registrations for the Capacity Manager: search, sort, pages, status.
//
// Why it is built this way (docs/decisions/0005-finding-registrations.md): the biggest portal
// has 51,000 registrations in its history, and every view must answer in 10 ms.
// - Search is a case- and accent-insensitive substring match on the folded search text
//   (domain/search-text.ts), read from a covering index of (portal, status, search text, id):
//   finding which of a portal's rows match never reads the table, and costs what the portal
//   has, never what the whole table has. (A pg_trgm index was measured and dropped: a term's
//   trigrams occur in every portal, so it read 5,000 rows over the table to find 250.)
// - Up to EXACT_TOTAL_LIMIT matches, that scan yields them all: the total is exact and the page
//   is cut from those ids, sorted in memory. Past it the search is common: the page is read in
//   sort order from the sort's own index (portal, status, sort key, id), filtered, stopping after
//   its rows, and the total is the planner's estimate, rounded and marked `totalIsEstimate`
//   (the page shows "about 48,000"); counting every match would cost more than the page.
// - Each status is its own branch of a UNION ALL, so the "all" view is a merge of two ordered
//   index scans, never a sort of the whole history. The sort indexes carry the search text, so
//   a common search read in sort order is filtered from the index alone, even when its matches
//   sit together late in the order ("nordic" sorted by company). Company, contact and country are ordered in
//   the session's language through ICU collations (registrations_en: Unicode root, É with E;
//   registrations_sv: å, ä, ö after z); a missing name sorts as empty text so that the keyset
//   comparison never meets a NULL.
// - Paging is keyset under the page numbers: the answer carries a cursor for the next and the
//   previous page (the sort key and id of its last and first rows), so a page is found by an
//   index seek whatever its number, and rows added or removed meanwhile neither repeat nor skip
//   one. A page asked for by number alone (a jump) still works, by offset.
import type { Locale } from '../capacity-manager/locale.js';
import type { Database } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { foldForSearch } from '../domain/search-text.js';
import { otherCountryNames } from '../domain/country-names.js';
import { AppError } from '../errors/app-error.js';
import { type RegistrationRow, type RegistrationView, registrationRowColumns, registrationView } from './registration-view.js';

export const REGISTRATION_SORT_FIELDS = ['domain', 'companyName', 'contactName', 'country', 'registeredAt', 'expiresAt'] as const;
export type RegistrationSortField = (typeof REGISTRATION_SORT_FIELDS)[number];
export const REGISTRATION_STATUS_FILTERS = ['active', 'deregistered', 'all'] as const;
export type RegistrationStatusFilter = (typeof REGISTRATION_STATUS_FILTERS)[number];
export const MAX_PAGE_SIZE = 100;
/** Up to this many matches the total is counted exactly; past it, it is an estimate. */
export const EXACT_TOTAL_LIMIT = 1000;

export interface FindRegistrationsInput {
  portalId: number;
  search?: string;
  /** Only registrations made before this instant (ISO 8601, validated at the edge). */
  registeredBefore?: string;
  sortBy?: RegistrationSortField;
  sortDirection?: 'asc' | 'desc';
  /** The language names are ordered in (the session's). */
  locale?: Locale;
  /** 1-based: the page's number; also where the page starts when no cursor is given. */
  page?: number;
  /** 1 to 100. */
  pageSize?: number;
  status?: RegistrationStatusFilter;
  /** From a previous answer's nextCursor or previousCursor, with the same filter and sort. */
  cursor?: string;
}

export interface RegistrationPage {
  items: RegistrationView[];
  total: number;
  /** The total is the planner's estimate, rounded (more than EXACT_TOTAL_LIMIT matches). */
  totalIsEstimate: boolean;
  page: number;
  pageSize: number;
  pageCount: number;
  nextCursor: string | null;
  previousCursor: string | null;
}

type SortKind = 'text' | 'timestamp';
interface SortKey {
  expression: (locale: Locale, descending: boolean) => Prisma.Sql;
  kind: SortKind;
}

const collatedName = (column: string) => (locale: Locale) => Prisma.raw(`coalesce(${column}, '') COLLATE registrations_${locale}`);
/**
 * A claim that never expires sorts last both ways: its key is a date past every expiry going up
 * and before every expiry going down, so the keyset comparison never meets a NULL. No sort index
 * of its own: up to EXACT_TOTAL_LIMIT matches the page is sorted in memory like every sort; past
 * it (a long history sorted by expiry) the matches are sorted without an index, which costs
 * what the portal's history has — a rare view, not worth an eleventh index on every write.
 */
const NEVER_EXPIRES_LAST = { ascending: '9999-12-31 00:00:00+00', descending: '1970-01-01 00:00:00+00' };
const expiryKey = (_locale: Locale, descending: boolean) =>
  Prisma.raw(`coalesce(expires_at, '${descending ? NEVER_EXPIRES_LAST.descending : NEVER_EXPIRES_LAST.ascending}'::timestamptz)`);
const SORT_KEYS: Record<RegistrationSortField, SortKey> = {
  domain: { expression: () => Prisma.raw('domain'), kind: 'text' },
  companyName: { expression: collatedName('company_name'), kind: 'text' },
  contactName: { expression: collatedName('contact_name'), kind: 'text' },
  country: { expression: collatedName('country'), kind: 'text' },
  registeredAt: { expression: () => Prisma.raw('registered_at'), kind: 'timestamp' },
  expiresAt: { expression: expiryKey, kind: 'timestamp' },
};

const STATUSES: Record<RegistrationStatusFilter, Array<'active' | 'deregistered'>> = {
  active: ['active'],
  deregistered: ['deregistered'],
  all: ['active', 'deregistered'],
};

/** Where a page starts: after (or before) the row with this sort key and id. */
interface Cursor {
  side: 'after' | 'before';
  key: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.side, cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [side, key, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if ((side === 'after' || side === 'before') && typeof key === 'string' && typeof id === 'string' && /^\d{1,19}$/.test(id)) return { side, key, id };
  } catch {
    // Falls through to the error below.
  }
  throw new AppError({ kind: 'invalid', code: 'INVALID_CURSOR', message: 'This page link is not one the list gave out: reload the list and page from there.' });
}

/** `LIKE` pattern for a substring, with LIKE's own wildcards taken literally. */
export function substringPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * A country's name in any language finds it as stored ("sverige" finds "Sweden"): the term's other
 * country names are searched for too (domain/country-names.ts says why the term is mapped rather
 * than the stored text extended). Still one filter on the search text, from the same index.
 */
function searchCondition(search: string | undefined): Prisma.Sql {
  const term = foldForSearch(search ?? '');
  if (!term) return Prisma.empty;
  const others = otherCountryNames(term);
  if (others.length === 0) return Prisma.sql`AND search_text LIKE ${substringPattern(term)}`;
  return Prisma.sql`AND search_text LIKE ANY(${[term, ...others].map(substringPattern)}::text[])`;
}

type MatchInput = Pick<FindRegistrationsInput, 'search' | 'registeredBefore'>;

/**
 * The search and the registered-before filter. The covering search index does not carry the
 * registration date, so with a date the matches are checked on the table's rows: only requests
 * that set the filter pay for it, and it narrows the matches it reads.
 */
function matchCondition({ search, registeredBefore }: MatchInput): Prisma.Sql {
  return Prisma.sql`${searchCondition(search)} ${registeredBefore ? Prisma.sql`AND registered_at < ${registeredBefore}::timestamptz` : Prisma.empty}`;
}

export function registrationFilter({ portalId, status = 'active', ...match }: Pick<FindRegistrationsInput, 'portalId' | 'status'> & MatchInput): Prisma.Sql {
  return Prisma.sql`portal_id = ${BigInt(portalId)}
    AND status = ANY(${STATUSES[status]}::registration_status[])
    ${matchCondition(match)}`;
}

interface OrderedQuery {
  sortBy: RegistrationSortField;
  descending: boolean;
}

function orderOf(input: FindRegistrationsInput): OrderedQuery {
  const sortBy = input.sortBy ?? 'registeredAt';
  const direction = input.sortDirection ?? (sortBy === 'registeredAt' ? 'desc' : 'asc');
  return { sortBy, descending: direction === 'desc' };
}

interface Window {
  /** null: every row (the export). */
  limit: number | null;
  offset: number;
  cursor?: Cursor;
}

interface SortSql {
  key: Prisma.Sql;
  reading: Prisma.Sql;
  after: Prisma.Sql;
}

/** The sort key, the reading direction and the keyset condition (rows strictly after the cursor). */
function sortSql(input: FindRegistrationsInput, cursor: Cursor | undefined): SortSql {
  const { sortBy, descending } = orderOf(input);
  const { expression, kind } = SORT_KEYS[sortBy];
  const key = expression(input.locale ?? 'en', descending);
  // A "before" cursor reads backwards from it (the previous page); the caller turns the rows round.
  const backwards = cursor?.side === 'before';
  const reading = descending !== backwards ? Prisma.raw('DESC') : Prisma.raw('ASC');
  const after = cursor
    ? Prisma.sql`AND (${key}, id) ${descending !== backwards ? Prisma.raw('<') : Prisma.raw('>')} (${kind === 'timestamp' ? Prisma.sql`${cursor.key}::timestamptz` : Prisma.sql`${cursor.key}`}, ${BigInt(cursor.id)})`
    : Prisma.empty;
  return { key, reading, after };
}

const pageLimit = (window: Window) => (window.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${window.limit} OFFSET ${window.offset}`);

/**
 * Ids and sort keys of the list in its order, read from the sorts' indexes: one ordered, limited
 * branch per status, merged. `gate` is a condition every branch carries (the page statement's
 * "more than EXACT_TOTAL_LIMIT matches").
 */
function orderedIds(input: FindRegistrationsInput, window: Window, { key, reading, after }: SortSql, gate: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const limit = window.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${window.limit + window.offset}`;
  // The sort indexes carry the search text (partial on its size), so a branch filters the
  // search from the index alone; the rare over-long texts have a branch of their own.
  const branches = STATUSES[input.status ?? 'active'].flatMap((status) =>
    [Prisma.sql`octet_length(search_text) <= 2000`, Prisma.sql`octet_length(search_text) > 2000`].map(
      (size) => Prisma.sql`(SELECT id, ${key} AS sort_key
      FROM registrations
      WHERE portal_id = ${BigInt(input.portalId)} AND status = ${status}::registration_status AND ${size} ${matchCondition(input)} ${after} ${gate}
      ORDER BY ${key} ${reading}, id ${reading} ${limit})`,
    ),
  );
  return Prisma.join(branches, ' UNION ALL ');
}

/** Every row the list shows, in its order (the CSV export). */
export function findRegistrationsQuery(input: FindRegistrationsInput): Prisma.Sql {
  const sort = sortSql(input, undefined);
  return Prisma.sql`SELECT ${Prisma.raw(registrationRowColumns('r'))}
    FROM (${orderedIds(input, { limit: null, offset: 0 }, sort)}) AS page
    JOIN registrations r ON r.id = page.id
    ORDER BY page.sort_key ${sort.reading}, page.id ${sort.reading}`;
}

/**
 * One page and the number of matches (up to EXACT_TOTAL_LIMIT + 1), in one statement:
 * - `matches`: the ids of the first EXACT_TOTAL_LIMIT + 1 matches, from the covering search
 *   index alone (its partial twin holds the over-long search texts);
 * - up to EXACT_TOTAL_LIMIT of them, the page is cut from those ids, sorted in memory; past it,
 *   from the sorts' indexes in order (orderedIds). Each side is gated on the count, so only
 *   one runs (a one-time filter in the plan);
 * - the page is chosen from ids and sort keys, then joined to its rows. There is always one row,
 *   carrying the count, even when the page is empty.
 */
function pageQuery(input: FindRegistrationsInput, window: Window & { limit: number }): Prisma.Sql {
  const sort = sortSql(input, window.cursor);
  const { key, reading, after } = sort;
  const bounded = Prisma.sql`portal_id = ${BigInt(input.portalId)} AND status = ANY(${STATUSES[input.status ?? 'active']}::registration_status[]) ${matchCondition(input)}`;
  const few = Prisma.sql`(SELECT n FROM counted) <= ${EXACT_TOTAL_LIMIT}`;
  return Prisma.sql`
    WITH matches AS MATERIALIZED (
      SELECT id FROM (
        SELECT id FROM registrations WHERE ${bounded} AND octet_length(search_text) <= 2000
        UNION ALL
        SELECT id FROM registrations WHERE ${bounded} AND octet_length(search_text) > 2000
      ) AS found LIMIT ${EXACT_TOTAL_LIMIT + 1}
    ), counted AS MATERIALIZED (SELECT count(*)::int AS n FROM matches)
    SELECT counted.n AS matched, ${Prisma.raw(registrationRowColumns('r'))}, page.sort_key
    FROM counted
    LEFT JOIN (
      SELECT id, sort_key FROM (
        (SELECT id, ${key} AS sort_key FROM registrations
          WHERE id IN (SELECT id FROM matches) AND portal_id = ${BigInt(input.portalId)} ${after} AND ${few}
          ORDER BY ${key} ${reading}, id ${reading} LIMIT ${window.limit + window.offset})
        UNION ALL
        ${orderedIds(input, window, sort, Prisma.sql`AND NOT ${few}`)}
      ) AS candidates
      ORDER BY sort_key ${reading}, id ${reading} ${pageLimit(window)}
    ) AS page ON true
    LEFT JOIN registrations r ON r.id = page.id
    ORDER BY page.sort_key ${reading}, page.id ${reading}`;
}

type SortedRow = RegistrationRow & { sort_key: string | Date };

function cursorAt(row: SortedRow, side: Cursor['side']): string {
  const key = row.sort_key instanceof Date ? row.sort_key.toISOString() : row.sort_key;
  return encodeCursor({ side, key, id: row.id.toString() });
}

/** The planner's estimate of the matches, to two significant digits ("about 48,000"). */
async function estimateMatches(db: Database, input: FindRegistrationsInput): Promise<number> {
  const [plan] = await db.$queryRaw<
    [{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }]
  >`EXPLAIN (FORMAT JSON) SELECT 1 FROM registrations WHERE ${registrationFilter(input)}`;
  const estimate = Math.max(EXACT_TOTAL_LIMIT + 1, plan['QUERY PLAN'][0]!.Plan['Plan Rows']);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 1);
  return Math.max(EXACT_TOTAL_LIMIT + 1, Math.round(estimate / magnitude) * magnitude);
}

export async function findRegistrations(db: Database, input: FindRegistrationsInput): Promise<RegistrationPage> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  // One row more than the page tells whether there is a page beyond it in reading direction.
  const window = { limit: pageSize + 1, offset: cursor ? 0 : (page - 1) * pageSize, cursor };
  const answer = await db.$queryRaw<Array<SortedRow & { matched: number }>>(pageQuery(input, window));
  const matched = answer[0]!.matched;
  const fetched = answer.filter((row) => row.id !== null);
  const more = fetched.length > pageSize;
  const rows = fetched.slice(0, pageSize);
  if (cursor?.side === 'before') rows.reverse();
  const counted = matched <= EXACT_TOTAL_LIMIT ? { total: matched, totalIsEstimate: false } : { total: await estimateMatches(db, input), totalIsEstimate: true };
  const hasNext = cursor?.side === 'before' ? rows.length > 0 : more;
  const hasPrevious = cursor?.side === 'before' ? more : page > 1 && rows.length > 0;
  const pageCount = Math.max(Math.ceil(counted.total / pageSize), hasNext ? page + 1 : page > 1 && rows.length > 0 ? page : 0);
  return {
    items: rows.map(registrationView),
    ...counted,
    page,
    pageSize,
    pageCount,
    nextCursor: hasNext && rows.length > 0 ? cursorAt(rows.at(-1)!, 'after') : null,
    previousCursor: hasPrevious ? cursorAt(rows[0]!, 'before') : null,
  };
}
