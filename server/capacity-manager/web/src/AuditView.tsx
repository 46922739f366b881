// The audit trail: every registration, refusal, deregistration and portal change, newest first,
// filtered by action, actor and dates, and exported as CSV with the same filter.
import { useEffect, useState } from 'react';
import { api, ApiError, type AuditEventPage, type AuditFilter } from './api.js';
import { AuditFilters, useAuditFilter } from './audit-filters.js';
import { describeAuditEvent } from './describe-audit-event.js';
import { MAIN_TABLE_ID } from './main-table.js';
import { useI18n } from './i18n.js';

export function AuditView() {
  const { t, dateTime } = useI18n();
  const filters = useAuditFilter();
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<AuditEventPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const filter: AuditFilter = filters.filter;
  const filterKey = JSON.stringify(filter);

  // A new filter starts again from the newest events.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter is the trigger
  useEffect(() => setPage(1), [filterKey]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filter
  useEffect(() => {
    const controller = new AbortController();
    api
      .auditEvents(filter, page, controller.signal)
      .then((next) => {
        setResult(next);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failure instanceof ApiError ? failure.message : t.errors.generic);
      });
    return () => controller.abort();
  }, [page, filterKey, t]);

  const items = result?.items ?? [];
  return (
    <section aria-labelledby="audit-heading" className="panel">
      <h2 id="audit-heading" className="visually-hidden">
        {t.views.audit}
      </h2>
      <div className="toolbar toolbar-static">
        <AuditFilters filters={filters} />
        <div className="toolbar-actions">
          <a className="button button-secondary" href={api.auditExportUrl(filter)} download title={t.audit.exportHint}>
            {t.exportCsv}
          </a>
        </div>
      </div>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the skip link's target, and a table wider than the screen scrolls in this box, which the keyboard must reach (axe: scrollable-region-focusable) */}
      <div className="table-wrap" id={MAIN_TABLE_ID} tabIndex={0} aria-busy={!result}>
        <table className="table">
          <caption className="visually-hidden">{t.audit.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.audit.when}</th>
              <th scope="col">{t.audit.what}</th>
              <th scope="col">{t.audit.who}</th>
              <th scope="col">{t.audit.domain}</th>
              <th scope="col">{t.audit.details}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((event) => (
              <tr key={event.id}>
                <td>
                  <time dateTime={event.occurredAt}>{dateTime(event.occurredAt)}</time>
                </td>
                <td>{t.audit.actions[event.action] ?? event.action}</td>
                <td>{event.actor}</td>
                <td className="domain-cell">{event.domain ?? '—'}</td>
                <td>{describeAuditEvent(event, t, dateTime)}</td>
              </tr>
            ))}
            {result && items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  {filters.active ? t.audit.emptyFiltered : t.audit.empty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager-buttons" aria-label={t.pagination}>
        <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {t.audit.newer}
        </button>
        <button type="button" className="button button-secondary" disabled={!result?.hasNextPage} onClick={() => setPage(page + 1)}>
          {t.audit.older}
        </button>
      </nav>
    </section>
  );
}
