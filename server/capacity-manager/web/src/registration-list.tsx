// What the registered-domains list and the history have in common: the query (search, sort,
// page, page size), loading it, and the controls for it (search box, sortable headers, pager).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, type RegistrationPage, type RegistrationView, type RegistrationQuery, type SortDirection, type SortField } from './api.js';
import { countryNameIn } from '../../../domain/country-names.js';
import { useI18n } from './i18n.js';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const SEARCH_DELAY_MS = 250;

export interface RegistrationList {
  query: RegistrationQuery;
  /** What is typed in the search box (the query follows it after a short pause). */
  searchText: string;
  setSearchText(text: string): void;
  /** The registered-before filter: a day (YYYY-MM-DD, the user's calendar), or '' for none. */
  registeredBeforeDay: string;
  setRegisteredBeforeDay(day: string): void;
  sortBy(field: SortField): void;
  setPage(page: number): void;
  setPageSize(size: number): void;
  result: RegistrationPage | null;
  loading: boolean;
  error: string | null;
  reload(): void;
}

const SORT_FIELDS: readonly SortField[] = ['domain', 'companyName', 'contactName', 'country', 'registeredAt', 'expiresAt'];
const DEFAULT_QUERY = { search: '', sortBy: 'registeredAt', sortDirection: 'desc', page: 1, pageSize: 25 } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The start of a day in the user's time zone, as the API takes it; undefined for no (or no valid) day. */
export function startOfDay(day: string): string | undefined {
  if (!DAY.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00`);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

/** The day (user's calendar, YYYY-MM-DD) an instant falls on. */
export function dayOf(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * The list's query as the address gives it (/?search=…&before=…&sort=…&direction=…&size=…&page=…), so that
 * a reload, the back button and a shared link show the same list. The card's "Manage your
 * capacity" opens the page with only ?search= (server/capacity-manager/sign-in-routes.ts).
 * Anything missing or not understood falls back to the default.
 */
function queryFromAddress(status: RegistrationQuery['status']): RegistrationQuery {
  const params = new URLSearchParams(window.location.search);
  const sortBy = SORT_FIELDS.find((field) => field === params.get('sort')) ?? DEFAULT_QUERY.sortBy;
  const direction = params.get('direction');
  const size = Number(params.get('size'));
  const page = Number(params.get('page'));
  return {
    search: params.get('search')?.trim() ?? DEFAULT_QUERY.search,
    registeredBefore: startOfDay(params.get('before') ?? ''),
    sortBy,
    sortDirection: direction === 'asc' || direction === 'desc' ? direction : sortBy === 'registeredAt' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page >= 1 ? page : DEFAULT_QUERY.page,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_QUERY.pageSize,
    status,
  };
}

/** The address for a query: only what differs from the default, on the current path (the view). */
function addressOf(query: RegistrationQuery): string {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.registeredBefore) params.set('before', dayOf(query.registeredBefore));
  if (query.sortBy !== DEFAULT_QUERY.sortBy || query.sortDirection !== DEFAULT_QUERY.sortDirection) {
    params.set('sort', query.sortBy);
    params.set('direction', query.sortDirection);
  }
  if (query.pageSize !== DEFAULT_QUERY.pageSize) params.set('size', String(query.pageSize));
  if (query.page !== DEFAULT_QUERY.page) params.set('page', String(query.page));
  const search = params.toString();
  return `${window.location.pathname}${search ? `?${search}` : ''}`;
}

export function useRegistrationList(status: RegistrationQuery['status']): RegistrationList {
  const [query, setQuery] = useState<RegistrationQuery>(() => queryFromAddress(status));
  const [searchText, setSearchText] = useState(query.search);
  const [result, setResult] = useState<RegistrationPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef<AbortController | null>(null);

  useEffect(() => {
    const timer = setTimeout(
      () => setQuery((current) => (current.search === searchText.trim() ? current : { ...current, search: searchText.trim(), page: 1, cursor: undefined })),
      SEARCH_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [searchText]);

  // Each new query is a step in the browser's history; going back or forward reads the address
  // again (a page reached that way has no cursor: it is fetched by its number).
  useEffect(() => {
    const address = addressOf(query);
    if (address !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', address);
  }, [query]);
  useEffect(() => {
    const onPop = () => {
      const fromAddress = queryFromAddress(status);
      setQuery(fromAddress);
      setSearchText(fromAddress.search);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [status]);

  // `generation` is the reload trigger (reload() bumps it): the same query, fetched again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    latest.current?.abort();
    const controller = new AbortController();
    latest.current = controller;
    setLoading(true);
    api
      .registrations(query, controller.signal)
      .then((page) => {
        setResult(page);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof ApiError ? failure.message : String(failure));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, generation]);

  return {
    query,
    searchText,
    setSearchText,
    registeredBeforeDay: dayOf(query.registeredBefore),
    setRegisteredBeforeDay: (day) => setQuery((current) => ({ ...current, registeredBefore: startOfDay(day), page: 1, cursor: undefined })),
    sortBy: (field) =>
      setQuery((current) => ({
        ...current,
        sortBy: field,
        // A second click on the same column turns the order around; a new column starts ascending (dates: newest first).
        sortDirection: current.sortBy === field ? (current.sortDirection === 'asc' ? 'desc' : 'asc') : field === 'registeredAt' ? 'desc' : 'asc',
        page: 1,
        cursor: undefined,
      })),
    // Next and previous follow the answer's cursors (keyset paging: rows added or removed
    // meanwhile neither repeat nor skip one); any other change starts again from page 1.
    setPage: (page) =>
      setQuery((current) => {
        const cursor = page === current.page + 1 ? result?.nextCursor : page === current.page - 1 ? result?.previousCursor : undefined;
        return { ...current, page, cursor: cursor ?? undefined };
      }),
    setPageSize: (pageSize) => setQuery((current) => ({ ...current, pageSize, page: 1, cursor: undefined })),
    result,
    loading,
    error,
    reload: useCallback(() => setGeneration((n) => n + 1), []),
  };
}

export function SearchBox({ list, id }: { list: RegistrationList; id: string }) {
  const { t } = useI18n();
  return (
    <div className="search">
      <label htmlFor={id} className="search-label">
        {t.search.label}
      </label>
      <input
        id={id}
        type="search"
        className="input"
        placeholder={t.search.placeholder}
        value={list.searchText}
        onChange={(event) => list.setSearchText(event.target.value)}
        autoComplete="off"
      />
    </div>
  );
}

/** Downloads the list as CSV: every row the current search matches, in the current order. */
export function ExportLink({ list }: { list: RegistrationList }) {
  const { t } = useI18n();
  const { search, registeredBefore, sortBy, sortDirection, status } = list.query;
  return (
    <a className="button button-secondary" href={api.exportUrl({ search, registeredBefore, sortBy, sortDirection, status })} download title={t.exportHint}>
      {t.exportCsv}
    </a>
  );
}

/** Why the list did not load, and a way to try again. */
export function ListError({ list }: { list: RegistrationList }) {
  const { t } = useI18n();
  if (!list.error) return null;
  return (
    <div className="alert alert-danger" role="alert">
      {list.error}{' '}
      <button type="button" className="button button-link" onClick={list.reload}>
        {t.errors.retry}
      </button>
    </div>
  );
}

/** The snapshot's columns: domain, company, contact name, country, date (each a sort control), and who registered it. */
export function SnapshotHeaders({ list }: { list: RegistrationList }) {
  const { t } = useI18n();
  return (
    <>
      <SortableHeader list={list} field="domain">
        {t.columns.domain}
      </SortableHeader>
      <SortableHeader list={list} field="companyName">
        {t.columns.companyName}
      </SortableHeader>
      <SortableHeader list={list} field="contactName">
        {t.columns.contactName}
      </SortableHeader>
      <SortableHeader list={list} field="country">
        {t.columns.country}
      </SortableHeader>
      <SortableHeader list={list} field="registeredAt">
        {t.columns.registeredAt}
      </SortableHeader>
      <th scope="col">{t.columns.registeredBy}</th>
    </>
  );
}

export function SortableHeader({ list, field, children }: { list: RegistrationList; field: SortField; children: ReactNode }) {
  const { t } = useI18n();
  const active = list.query.sortBy === field;
  const direction: SortDirection | null = active ? list.query.sortDirection : null;
  return (
    <th scope="col" aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}>
      <button type="button" className="sort-button" onClick={() => list.sortBy(field)}>
        {children}
        <span className={`sort-indicator${active ? ' sort-active' : ''}`} aria-hidden="true">
          {direction === 'desc' ? '▼' : '▲'}
        </span>
        {direction && <span className="visually-hidden">, {direction === 'asc' ? t.sortedAscending : t.sortedDescending}</span>}
      </button>
    </th>
  );
}

export function Pager({ list, id }: { list: RegistrationList; id: string }) {
  const { t, number } = useI18n();
  const page = list.result?.page ?? list.query.page;
  const pageCount = Math.max(1, list.result?.pageCount ?? 1);
  const total = list.result?.total ?? 0;
  const from = total === 0 ? 0 : (page - 1) * list.query.pageSize + 1;
  const to = Math.min(total, page * list.query.pageSize);
  return (
    <div className="pager">
      <div className="page-size">
        <label htmlFor={id}>{t.pageSize}</label>
        <select id={id} className="input" value={list.query.pageSize} onChange={(event) => list.setPageSize(Number(event.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <p className="pager-range" aria-live="polite">
        {t.showing(number(from), number(to), list.result?.totalIsEstimate ? t.aboutTotal(number(total)) : number(total))}
      </p>
      <nav className="pager-buttons" aria-label={t.pagination}>
        <button type="button" className="button button-secondary" disabled={list.result ? !list.result.previousCursor : page <= 1} onClick={() => list.setPage(page - 1)}>
          {t.previousPage}
        </button>
        <span className="pager-page">{t.pageOf(number(page), list.result?.totalIsEstimate ? t.aboutTotal(number(pageCount)) : number(pageCount))}</span>
        <button type="button" className="button button-secondary" disabled={list.result ? !list.result.nextCursor : page >= pageCount} onClick={() => list.setPage(page + 1)}>
          {t.nextPage}
        </button>
      </nav>
    </div>
  );
}

/** The contact's cell: its name, a link to its record in HubSpot (a new tab), or "erased contact". */
export function ContactCell({ item }: { item: Pick<RegistrationView, 'contactErased' | 'contactName' | 'contactUrl'> }) {
  const { t } = useI18n();
  if (item.contactErased)
    return (
      <td>
        <em>{t.erasedContact}</em>
      </td>
    );
  const name = item.contactName ?? t.contactRecord;
  // The accessible name starts with the visible text (WCAG 2.5.3) and says where the link goes.
  return (
    <td>
      <a className="contact-link" href={item.contactUrl} target="_blank" rel="noopener" aria-label={`${name} ${t.opensInNewTab}`}>
        {name}
      </a>
    </td>
  );
}

/** When the domain was registered (date and time) and how long ago. */
export function RegisteredAtCell({ item }: { item: Pick<RegistrationView, 'registeredAt'> }) {
  const { dateTime, age } = useI18n();
  return (
    <td>
      <time dateTime={item.registeredAt}>{dateTime(item.registeredAt)}</time>
      <span className="age">{age(item.registeredAt)}</span>
    </td>
  );
}

/** The country as HubSpot gave it, named in the page's language when it is a known country. */
export function CountryCell({ item }: { item: RegistrationView }) {
  const { locale } = useI18n();
  if (!item.country) return <td>—</td>;
  const shown = countryNameIn(item.country, locale);
  return <td title={shown === item.country ? undefined : item.country}>{shown}</td>;
}

/** Who registered the domain: the user on the card, the auto-register rule, or an operator. */
export function RegisteredByCell({ item }: { item: Pick<RegistrationView, 'channel' | 'registeredBy'> }) {
  const { t } = useI18n();
  return <td>{item.channel === 'automatic' ? t.registeredByRule : item.channel === 'operator' ? t.registeredByOperator : item.registeredBy}</td>;
}
