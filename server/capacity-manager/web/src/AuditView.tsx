// The audit trail: every registration, refusal, deregistration and portal change, newest first.
import { useEffect, useState } from 'react';
import { api, ApiError, type AuditEventPage, type AuditEventView } from './api.js';
import { useI18n, type Messages } from './i18n.js';

function describe(event: AuditEventView, t: Messages): string {
  const parts: string[] = [];
  if (event.channel) parts.push(t.channels[event.channel] ?? event.channel);
  if (event.jobId) parts.push(t.audit.job(event.jobId.slice(0, 8)));
  const details = event.details as Record<string, unknown> | null;
  // A refusal by its code, in the page's language (the stored sentence is English).
  if (details && typeof details.code === 'string') parts.push(t.audit.refusals[details.code] ?? details.code);
  else if (details && typeof details.website === 'string') parts.push(details.website);
  return parts.join(' · ');
}

export function AuditView() {
  const { t, dateTime } = useI18n();
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<AuditEventPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .auditEvents(page, controller.signal)
      .then((next) => {
        setResult(next);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failure instanceof ApiError ? failure.message : t.errors.generic);
      });
    return () => controller.abort();
  }, [page, t]);

  const items = result?.items ?? [];
  return (
    <section aria-labelledby="audit-heading" className="panel">
      <h2 id="audit-heading" className="visually-hidden">
        {t.views.audit}
      </h2>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div className="table-wrap" aria-busy={!result}>
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
                <td>{describe(event, t)}</td>
              </tr>
            ))}
            {result && items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  {t.audit.empty}
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
