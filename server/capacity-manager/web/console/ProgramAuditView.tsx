// The audit across the program: filters (partner, action, actor, days), newest first in pages,
// and the same filters as a CSV download.
import { useEffect, useId, useState } from 'react';
import { consoleApi, type AuditEvent, type AuditPage } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage } from './use-load-on-open.js';

const ACTIONS = [
  'registration_created',
  'registration_refused',
  'registration_deregistered',
  'portal_created',
  'portal_tier_changed',
  'portal_limit_changed',
  'portal_settings_changed',
  'deregistration_job_retried',
  'free_mail_domain_allowed',
  'free_mail_domain_disallowed',
  'portal_admin_set',
  'portal_role_granted',
  'portal_role_revoked',
] as const;

interface Filters {
  portalId: string;
  action: string;
  actor: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { portalId: '', action: '', actor: '', from: '', to: '' };

function describe(event: AuditEvent): string {
  const parts: string[] = [];
  if (event.channel) parts.push(event.channel);
  if (event.jobId) parts.push(event.jobId.slice(0, 8));
  const details = event.details as Record<string, unknown> | null;
  if (details && 'before' in details && 'after' in details) parts.push(`${JSON.stringify(details.before)} → ${JSON.stringify(details.after)}`);
  else if (details && typeof details.code === 'string') parts.push(details.code);
  return parts.join(' · ');
}

export function ProgramAuditView() {
  const { t, dateTime } = useConsoleI18n();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { portal: useId(), action: useId(), actor: useId(), from: useId(), to: useId() };

  useEffect(() => {
    const controller = new AbortController();
    consoleApi
      .audit({ ...filters, page, pageSize: 50 }, controller.signal)
      .then((next) => {
        setResult(next);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failureMessage(failure, t));
      });
    return () => controller.abort();
  }, [filters, page, t]);

  const field = (name: keyof Filters) => ({
    value: draft[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setDraft({ ...draft, [name]: event.target.value }),
  });
  const items = result?.items ?? [];
  return (
    <section aria-labelledby="audit-heading" className="panel">
      <h2 id="audit-heading" className="visually-hidden">
        {t.audit.caption}
      </h2>
      <form
        className="console-filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...draft, portalId: draft.portalId.trim(), actor: draft.actor.trim() });
          setPage(1);
        }}
      >
        <div className="console-filter">
          <label htmlFor={ids.portal}>{t.audit.partner}</label>
          <input id={ids.portal} className="input" inputMode="numeric" {...field('portalId')} />
        </div>
        <div className="console-filter">
          <label htmlFor={ids.action}>{t.audit.action}</label>
          <select id={ids.action} className="input" {...field('action')}>
            <option value="">{t.audit.anyAction}</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="console-filter">
          <label htmlFor={ids.actor}>{t.audit.actor}</label>
          <input id={ids.actor} className="input" {...field('actor')} />
        </div>
        <div className="console-filter">
          <label htmlFor={ids.from}>{t.audit.from}</label>
          <input id={ids.from} className="input" type="date" {...field('from')} />
        </div>
        <div className="console-filter">
          <label htmlFor={ids.to}>{t.audit.to}</label>
          <input id={ids.to} className="input" type="date" {...field('to')} />
        </div>
        <button type="submit" className="button button-primary">
          {t.audit.apply}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            setFilters(NO_FILTERS);
            setPage(1);
          }}
        >
          {t.audit.clear}
        </button>
        <a className="button button-link" href={consoleApi.auditCsvUrl({ ...filters })} download>
          {t.audit.csv}
        </a>
      </form>
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
              <th scope="col">{t.audit.where}</th>
              <th scope="col">{t.audit.what}</th>
              <th scope="col">{t.audit.who}</th>
              <th scope="col">{t.partner.domain}</th>
              <th scope="col">{t.audit.details}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((event) => (
              <tr key={`${event.source}-${event.id}`} className="audit-row">
                <td>
                  <time dateTime={event.occurredAt}>{dateTime(event.occurredAt)}</time>
                </td>
                <td>{event.portalId ?? t.audit.program}</td>
                <td className="audit-action">{event.action}</td>
                <td className="audit-actor">{event.actor}</td>
                <td className="domain-cell">{event.domain ?? '—'}</td>
                <td>{describe(event)}</td>
              </tr>
            ))}
            {result && items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  {t.audit.empty}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager-buttons" aria-label={t.audit.caption}>
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
