// Partners: every portal with its tier, limit (and whether the operator set it), used, % used,
// install state, last webhook and last registration; search, sortable columns, pages. Each row
// changes its tier or limit through a confirmation, or opens the partner.
import { useEffect, useRef, useState } from 'react';
import type { PartnerChange, PartnerSortField } from '../../../console/console-contract.js';
import { ChangePartnerDialog, type ChangeKind } from './ChangePartnerDialog.js';
import { consoleApi, type Partner, type PartnerPage } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage } from './use-load-on-open.js';

const PAGE_SIZES = [25, 50, 100] as const;
const SEARCH_DELAY_MS = 250;

export function PartnersView({ operator, onOpen }: { operator: string; onOpen: (portalId: number) => void }) {
  const { t, number, dateTime } = useConsoleI18n();
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [sortBy, setSortBy] = useState<PartnerSortField>('name');
  const [sortDirection, setSortDirection] = useState<'asc' | 'desc'>('asc');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(25);
  const [result, setResult] = useState<PartnerPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [changing, setChanging] = useState<{ partner: Partner; kind: ChangeKind } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(searchText.trim());
      setPage(1);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload is a counter bumped to read the page again after a change
  useEffect(() => {
    const controller = new AbortController();
    consoleApi
      .partners({ search, sortBy, sortDirection, page, pageSize }, controller.signal)
      .then((next) => {
        setResult(next);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failureMessage(failure, t));
      });
    return () => controller.abort();
  }, [search, sortBy, sortDirection, page, pageSize, reload, t]);

  const sort = (field: PartnerSortField) => {
    if (sortBy === field) setSortDirection(sortDirection === 'asc' ? 'desc' : 'asc');
    else {
      setSortBy(field);
      setSortDirection(field === 'used' || field === 'percentUsed' ? 'desc' : 'asc');
    }
    setPage(1);
  };
  const change = async (partner: Partner, request: PartnerChange) => {
    await consoleApi.changePartner(partner.portalId, request);
    setChanging(null);
    setNotice(`${t.confirm.done(partner.name ?? String(partner.portalId))} ${t.confirm.audited(operator)}`);
    setReload((n) => n + 1);
    setTimeout(() => noticeRef.current?.focus(), 0);
  };

  const header = (field: PartnerSortField, label: string, numeric = false) => (
    <th scope="col" className={numeric ? 'numeric' : undefined} aria-sort={sortBy === field ? (sortDirection === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => sort(field)} aria-label={t.partners.sortBy(label)}>
        {label}
        <span className="sort-indicator" aria-hidden="true">
          {sortBy === field ? (sortDirection === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );

  const items = result?.items ?? [];
  const from = result && result.total > 0 ? (result.page - 1) * result.pageSize + 1 : 0;
  const to = result ? Math.min(result.total, result.page * result.pageSize) : 0;
  return (
    <section aria-labelledby="partners-heading" className="panel">
      <h2 id="partners-heading" className="visually-hidden">
        {t.views.partners}
      </h2>
      <div className="toolbar">
        <label className="search">
          <span className="search-label">{t.partners.search}</span>
          <input type="search" className="input" value={searchText} onChange={(event) => setSearchText(event.target.value)} />
        </label>
      </div>
      {notice && (
        <div className="alert alert-success" role="status" tabIndex={-1} ref={noticeRef} data-testid="change-notice">
          {notice}
        </div>
      )}
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div className="table-wrap" aria-busy={!result}>
        <table className="table">
          <caption className="visually-hidden">{t.partners.caption}</caption>
          <thead>
            <tr>
              {header('name', t.partners.name)}
              {header('portalId', t.partners.portalId, true)}
              {header('tier', t.partners.tier)}
              {header('limit', t.partners.limit, true)}
              {header('used', t.partners.used, true)}
              {header('percentUsed', t.partners.percentUsed, true)}
              <th scope="col" className="numeric">
                {t.partners.expiringSoon}
              </th>
              <th scope="col" className="numeric">
                {t.partners.waiting}
              </th>
              {header('installState', t.partners.installState)}
              <th scope="col">{t.partners.lastWebhook}</th>
              <th scope="col">{t.partners.lastRegistration}</th>
              <th scope="col">{t.partners.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((partner) => {
              const name = partner.name ?? t.partners.unnamed;
              return (
                <tr key={partner.portalId} data-portal-id={partner.portalId}>
                  <td className="partner-name">{name}</td>
                  <td className="numeric">{partner.portalId}</td>
                  <td className="partner-tier">{t.tiers[partner.tier]}</td>
                  <td className="numeric partner-limit">
                    {number(partner.limit)}
                    {partner.limitOverridden && <span className="setting-hint"> ({t.partners.overridden})</span>}
                  </td>
                  <td className="numeric">{number(partner.used)}</td>
                  <td className="numeric">{number(partner.percentUsed)} %</td>
                  <td className="numeric partner-expiring">{number(partner.expiringSoon)}</td>
                  <td className="numeric partner-waiting">{number(partner.waiting)}</td>
                  <td>{t.installStates[partner.installState] ?? partner.installState}</td>
                  <td>{partner.lastWebhookAt ? <time dateTime={partner.lastWebhookAt}>{dateTime(partner.lastWebhookAt)}</time> : t.partners.never}</td>
                  <td>{partner.lastRegistrationAt ? <time dateTime={partner.lastRegistrationAt}>{dateTime(partner.lastRegistrationAt)}</time> : t.partners.never}</td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        aria-label={t.partners.changeTier(name)}
                        onClick={() => setChanging({ partner, kind: 'tier' })}
                      >
                        {t.partners.tier}
                      </button>
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        aria-label={`${t.partners.changeLimit}: ${name}`}
                        onClick={() => setChanging({ partner, kind: 'limit' })}
                      >
                        {t.partners.limit}
                      </button>
                      <a
                        className="button button-link button-small"
                        href={`/console/partners/${partner.portalId}`}
                        aria-label={`${t.partners.open}: ${name}`}
                        onClick={(event) => {
                          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                          event.preventDefault();
                          onOpen(partner.portalId);
                        }}
                      >
                        {t.partners.open}
                      </a>
                    </div>
                  </td>
                </tr>
              );
            })}
            {result && items.length === 0 && (
              <tr>
                <td colSpan={12} className="empty">
                  {t.partners.empty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t.partners.caption}>
        <label className="page-size">
          {t.partners.pageSize}{' '}
          <select
            className="input"
            value={pageSize}
            onChange={(event) => {
              setPageSize(Number(event.target.value));
              setPage(1);
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span className="pager-range" role="status">
          {result ? t.partners.range(number(from), number(to), number(result.total)) : ''}
        </span>
        <span className="pager-buttons">
          <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t.partners.previous}
          </button>
          <button type="button" className="button button-secondary" disabled={!result || page >= result.pageCount} onClick={() => setPage(page + 1)}>
            {t.partners.next}
          </button>
        </span>
      </nav>
      {changing && (
        <ChangePartnerDialog partner={changing.partner} kind={changing.kind} onCancel={() => setChanging(null)} onConfirm={(request) => change(changing.partner, request)} />
      )}
    </section>
  );
}
