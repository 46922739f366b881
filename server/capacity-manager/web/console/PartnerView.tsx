// One partner as its Capacity Manager shows it, read-only: the Capacity Manager's own status bar
// (in its words, from its i18n), the portal's automatic-registration rule, and its registered
// domains in pages.
import { useEffect, useMemo, useState } from 'react';
import type { RegistrationPageAnswer } from '../../capacity-manager-contract.js';
import { createI18n, I18nContext } from '../src/i18n.js';
import { StatusBar } from '../src/StatusBar.js';
import { consoleApi, type PartnerDetails } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage } from './use-load-on-open.js';

const PAGE_SIZE = 25;

export function PartnerView({ portalId, onBack }: { portalId: number; onBack: () => void }) {
  const { t, locale, number, dateTime } = useConsoleI18n();
  const managerI18n = useMemo(() => createI18n(locale), [locale]);
  const [details, setDetails] = useState<PartnerDetails | null>(null);
  const [page, setPage] = useState(1);
  const [registrations, setRegistrations] = useState<RegistrationPageAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    consoleApi
      .partner(portalId, controller.signal)
      .then(setDetails)
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failureMessage(failure, t));
      });
    return () => controller.abort();
  }, [portalId, t]);

  useEffect(() => {
    const controller = new AbortController();
    consoleApi
      .partnerRegistrations(portalId, { sortBy: 'registeredAt', sortDirection: 'desc', page, pageSize: PAGE_SIZE }, controller.signal)
      .then(setRegistrations)
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(failureMessage(failure, t));
      });
    return () => controller.abort();
  }, [portalId, page, t]);

  const name = details?.partner.name ?? String(portalId);
  return (
    <section aria-labelledby="partner-heading" className="panel">
      <p>
        <a
          href="/console"
          onClick={(event) => {
            event.preventDefault();
            onBack();
          }}
        >
          ← {t.partner.back}
        </a>
      </p>
      <h2 id="partner-heading">
        {name} <span className="setting-hint">({portalId})</span>
      </h2>
      <p className="setting-hint">{t.partner.readOnly}</p>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <I18nContext.Provider value={managerI18n}>
        <StatusBar capacity={details?.capacity ?? null} />
      </I18nContext.Provider>
      {details && <p>{t.partner.autoRegister(details.autoRegisterNewContacts)}</p>}
      <h3 className="console-section">{t.partner.registrations}</h3>
      <div className="table-wrap" aria-busy={!registrations}>
        <table className="table">
          <caption className="visually-hidden">{t.partner.registrations}</caption>
          <thead>
            <tr>
              <th scope="col">{t.partner.domain}</th>
              <th scope="col">{t.partner.company}</th>
              <th scope="col">{t.partner.registeredAt}</th>
              <th scope="col">{t.partner.registeredBy}</th>
            </tr>
          </thead>
          <tbody>
            {registrations?.items.map((registration) => (
              <tr key={registration.id}>
                <td className="domain-cell">{registration.displayDomain}</td>
                <td>{registration.companyName ?? '—'}</td>
                <td>
                  <time dateTime={registration.registeredAt}>{dateTime(registration.registeredAt)}</time>
                </td>
                <td>{registration.registeredBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t.partner.registrations}>
        <span className="pager-range">
          {registrations
            ? t.partners.range(number(registrations.total ? (page - 1) * PAGE_SIZE + 1 : 0), number(Math.min(registrations.total, page * PAGE_SIZE)), number(registrations.total))
            : ''}
        </span>
        <span className="pager-buttons">
          <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t.partners.previous}
          </button>
          <button type="button" className="button button-secondary" disabled={!registrations || page >= registrations.pageCount} onClick={() => setPage(page + 1)}>
            {t.partners.next}
          </button>
        </span>
      </nav>
    </section>
  );
}
