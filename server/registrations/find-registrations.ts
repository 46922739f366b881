// Finds a portal's registrations for the Capacity Manager: search, sort, pages, status.
//
// Why it is built this way (docs/decisions/0005-finding-registrations.md): the biggest portal
// has 51,000 registrations in its history, and every view must answer in 10 ms.
// - Search is a case- and accent-insensitive substring match on the folded search text
//   (domain/search-text.ts). The active list (bounded by the capacity) finds its matches in a
//   covering index of (portal, status, search text, id), without reading the table. The history
//   (50,000 rows) finds them through a GIN index of its three-character substrings, keyed per
//   portal bucket (migration 20261124223000): the rows that hold every substring of the term,
//   checked by LIKE, at a cost that follows the matches, not the history (a rare term read all
//   50,000 search texts, 7-15 ms; now about 1 ms). A term of one or two letters has no substring
//   in it and scans the covering index, which such a term leaves early. (A pg_trgm index over
//   the whole table was measured and dropped: a term's trigrams occur in every portal, so it
//   read 5,000 rows over the table to find 250.)
// - Up to EXACT_TOTAL_LIMIT matches, that search yields them all: the total is exact and the page
//   is cut from those ids, sorted in memory. Past it the search is common: the page is read in
//   sort order from the sort's own index (portal, status, sort key, id), filtered, stopping after
//   its rows, and the total is the planner's estimate, rounded and marked `totalIsEstimate`
//   (the page shows "about 48,000"); counting every match would cost more than the page.
// - Each status is its own branch of a UNION ALL, so the "all" view is a merge of two ordered
//   index scans, never a sort of the whole history. The sort indexes carry the search text, so
//   a common search read in sort order is filtered from the index alone, even when its matches
//   sit together late in the order ("nordic" sorted by company passes 20,000 entries, 3-4 ms:
//   sorting its 2,500 matches from the substring index instead measured the same, see decision
//   0005). Company, contact and country are ordered in the session's language through ICU
//   collations (registrations_en: Unicode root, É with E; registrations_sv: å, ä, ö after z); a
//   missing name sorts as empty text so that the keyset comparison never meets a NULL.
// - Paging is keyset under the page numbers: the answer carries a cursor for the next and the
//   previous page (the sort key and id of its last and first rows), so a page is found by an
//   index seek whatever its number, and rows added or removed meanwhile neither repeat nor skip
//   one. A page asked for by number alone (a jump) still works, by offset.
import type { Locale } from '../capacity-manager/locale.js';
import type pg from 'pg';
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
 * The folded texts a search looks for: the term, and its other country names when it names a
 * country ("sverige" finds "Sweden"; domain/country-names.ts says why the term is mapped rather
 * than the stored text extended). None: no search.
 */
function searchTerms(search: string | undefined): string[] {
  const term = foldForSearch(search ?? '');
  return term ? [term, ...otherCountryNames(term)] : [];
}

/** One filter on the search text, from the covering indexes. */
function searchCondition(search: string | undefined): Prisma.Sql {
  const terms = searchTerms(search);
  if (terms.length === 0) return Prisma.empty;
  if (terms.length === 1) return Prisma.sql`AND search_text LIKE ${substringPattern(terms[0]!)}`;
  return Prisma.sql`AND search_text LIKE ANY(${terms.map(substringPattern)}::text[])`;
}

/** The length of the substrings registrations_history_grams_idx holds (migration 20261124223000). */
const GRAM_LENGTH = 3;

/**
 * The history rows holding every three-character substring of a term (of any of its terms), from
 * the gram index: a superset of the matches that LIKE then narrows, found at a cost that follows
 * the matches, not the history. null: no search, or a term too short to have a substring in the
 * index (one or two letters, which match broadly anyway).
 */
function historyGramCondition(portalId: number, search: string | undefined): Prisma.Sql | null {
  const terms = searchTerms(search);
  if (terms.length === 0 || terms.some((term) => [...term].length < GRAM_LENGTH)) return null;
  const holds = terms.map((term) => Prisma.sql`registration_search_grams(portal_id, search_text) @> registration_search_grams(${BigInt(portalId)}, ${term})`);
  return Prisma.sql`AND (${Prisma.join(holds, ' OR ')})`;
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

/**
 * The width that decides whether a row is in the compact indexes (the covering search index and
 * the sort indexes) or only in registrations_long_search_idx: its search text plus twice its
 * longest name, for a sort index row holds a name twice (key and column) besides the search
 * text, and a B-tree row has at most 2,704 bytes (migration 20261125013000). Written exactly as
 * the indexes' condition: PostgreSQL uses a partial index only for a query that carries it.
 */
export const INDEX_ROW_WIDTH = `(octet_length(search_text) + 2 * GREATEST(octet_length(COALESCE(company_name, '')), octet_length(COALESCE(contact_name, '')), octet_length(COALESCE(country, ''))))`;
/** The most INDEX_ROW_WIDTH a row in the compact indexes has (their condition). */
export const COMPACT_ROW_WIDTH = 2300;
const FITS_COMPACT_INDEXES = Prisma.raw(`${INDEX_ROW_WIDTH} <= ${COMPACT_ROW_WIDTH}`);
const TOO_WIDE_FOR_COMPACT_INDEXES = Prisma.raw(`${INDEX_ROW_WIDTH} > ${COMPACT_ROW_WIDTH}`);

const pageLimit = (window: Window) => (window.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${window.limit} OFFSET ${window.offset}`);

/**
 * Ids and sort keys of the list in its order, read from the sorts' indexes: one ordered, limited
 * branch per status, merged. `gate` is a condition every branch carries (the page statement's
 * "more than EXACT_TOTAL_LIMIT matches").
 */
function orderedIds(input: FindRegistrationsInput, window: Window, { key, reading, after }: SortSql, gate: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const limit = window.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${window.limit + window.offset}`;
  // The sort indexes carry the search text (partial on the row's width), so a branch filters
  // the search from the index alone; the rare rows too wide for them have a branch of their own.
  const branches = STATUSES[input.status ?? 'active'].flatMap((status) =>
    [FITS_COMPACT_INDEXES, TOO_WIDE_FOR_COMPACT_INDEXES].map(
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
 * The ids of the matches, in no order, one branch per status: the history's from the gram index
 * when the term has substrings in it, else (and the active list, bounded by the capacity) from
 * the covering search index, whose partial twin holds the over-long search texts.
 */
function matchingIds(input: FindRegistrationsInput): Prisma.Sql {
  const portal = BigInt(input.portalId);
  const branches = STATUSES[input.status ?? 'active'].flatMap((status) => {
    const grams = status === 'deregistered' ? historyGramCondition(input.portalId, input.search) : null;
    const where = Prisma.sql`portal_id = ${portal} AND status = ${status}::registration_status ${matchCondition(input)}`;
    if (grams) return [Prisma.sql`SELECT id FROM registrations WHERE ${where} ${grams}`];
    return [
      Prisma.sql`SELECT id FROM registrations WHERE ${where} AND ${FITS_COMPACT_INDEXES}`,
      Prisma.sql`SELECT id FROM registrations WHERE ${where} AND ${TOO_WIDE_FOR_COMPACT_INDEXES}`,
    ];
  });
  return Prisma.join(branches, ' UNION ALL ');
}

/**
 * One page and the number of matches (up to EXACT_TOTAL_LIMIT + 1), in one statement:
 * - `matches`: the ids of the first EXACT_TOTAL_LIMIT + 1 matches (matchingIds);
 * - up to EXACT_TOTAL_LIMIT of them, the page is cut from those ids, sorted in memory; past it,
 *   from the sorts' indexes in order (orderedIds). Each side is gated on the count, so only
 *   one runs (a one-time filter in the plan);
 * - the page is chosen from ids and sort keys, then joined to its rows. There is always one row,
 *   carrying the count, even when the page is empty.
 */
function pageQuery(input: FindRegistrationsInput, window: Window & { limit: number }): Prisma.Sql {
  const sort = sortSql(input, window.cursor);
  const { key, reading, after } = sort;
  const few = Prisma.sql`(SELECT n FROM counted) <= ${EXACT_TOTAL_LIMIT}`;
  return Prisma.sql`
    WITH matches AS MATERIALIZED (
      SELECT id FROM (${matchingIds(input)}) AS found LIMIT ${EXACT_TOTAL_LIMIT + 1}
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

/**
 * Sends a statement through the pool, not Prisma's $queryRaw: the list is the app's hottest read,
 * and Prisma's mapping cost about 0.7 ms a page (and 0.4 ms an estimate) over the same statement
 * sent through pg, a fifth of the page's time. Rows come as pg gives them (ids as text).
 */
async function rowsOf<Row extends object>(db: ListDatabase, sql: Prisma.Sql): Promise<Row[]> {
  return (await db.pool.query<Row & pg.QueryResultRow>({ text: sql.text, values: sql.values })).rows;
}

/** The planner's estimate of the matches, to two significant digits ("about 48,000"). */
async function estimateMatches(db: ListDatabase, input: FindRegistrationsInput): Promise<number> {
  const [plan] = await rowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
    db,
    Prisma.sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM registrations WHERE ${registrationFilter(input)}`,
  );
  const estimate = Math.max(EXACT_TOTAL_LIMIT + 1, plan!['QUERY PLAN'][0]!.Plan['Plan Rows']);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 1);
  return Math.max(EXACT_TOTAL_LIMIT + 1, Math.round(estimate / magnitude) * magnitude);
}

type ListDatabase = Pick<Database, 'pool'>;

export async function findRegistrations(db: ListDatabase, input: FindRegistrationsInput): Promise<RegistrationPage> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  // One row more than the page tells whether there is a page beyond it in reading direction.
  const window = { limit: pageSize + 1, offset: cursor ? 0 : (page - 1) * pageSize, cursor };
  const answer = await rowsOf<SortedRow & { matched: number }>(db, pageQuery(input, window));
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
