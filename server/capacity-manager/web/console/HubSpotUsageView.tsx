// HubSpot usage: per partner, the calls of the last 10 s (the shared rate limiter's own window)
// and of the last hour with their 429s, 5xx, unanswered calls and the limiter's waits, from every
// process of the app (server/console/get-hubspot-usage.ts). Read again on Refresh.
import { useCallback, useState } from 'react';
import { consoleApi, type HubSpotUsage } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage, useLoadOnOpen } from './use-load-on-open.js';

export function HubSpotUsageView() {
  const { t, number, locale } = useConsoleI18n();
  const [usage, setUsage] = useState<HubSpotUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setBusy(true);
      try {
        setUsage(await consoleApi.hubspotUsage(signal));
        setError(null);
      } catch (failure) {
        if (!signal?.aborted) setError(failureMessage(failure, t));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  useLoadOnOpen(load);

  const seconds = (ms: number) => t.usage.seconds(new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000));
  return (
    <section aria-labelledby="usage-heading" className="panel">
      <h2 id="usage-heading">{t.usage.heading}</h2>
      {usage && <p className="setting-hint">{t.usage.intro(number(usage.limitPer10s))}</p>}
      <p>
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => void load()}>
          {t.usage.refresh}
        </button>
      </p>
      {error && (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      )}
      <div className="table-wrap" aria-busy={busy}>
        <table className="table">
          <caption className="visually-hidden">{t.usage.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.usage.partner}</th>
              <th scope="col" className="numeric">
                {t.usage.last10s}
              </th>
              <th scope="col" className="numeric">
                {t.usage.lastHour}
              </th>
              <th scope="col" className="numeric">
                {t.usage.rateLimited}
              </th>
              <th scope="col" className="numeric">
                {t.usage.serverErrors}
              </th>
              <th scope="col" className="numeric">
                {t.usage.noAnswer}
              </th>
              <th scope="col" className="numeric">
                {t.usage.limiterWaits}
              </th>
              <th scope="col" className="numeric">
                {t.usage.waited}
              </th>
            </tr>
          </thead>
          <tbody>
            {usage?.portals.map((portal) => (
              <tr key={portal.portalId} data-portal-id={portal.portalId}>
                <th scope="row">
                  {portal.name ?? t.partners.unnamed} ({portal.portalId})
                </th>
                <td className="numeric" data-column="last10s">
                  {number(portal.callsLast10s)}
                </td>
                <td className="numeric" data-column="lastHour">
                  {number(portal.callsLastHour)}
                </td>
                <td className="numeric" data-column="rateLimited">
                  {number(portal.rateLimited)}
                </td>
                <td className="numeric" data-column="serverErrors">
                  {number(portal.serverErrors)}
                </td>
                <td className="numeric">{number(portal.noAnswer)}</td>
                <td className="numeric" data-column="limiterWaits">
                  {number(portal.limiterWaits)}
                </td>
                <td className="numeric">{seconds(portal.limiterWaitMs)}</td>
              </tr>
            ))}
            {usage && usage.portals.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  {t.usage.none}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {usage && usage.more > 0 && <p className="setting-hint">{t.usage.more(number(usage.more))}</p>}
    </section>
  );
}
