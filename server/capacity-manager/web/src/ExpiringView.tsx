// Expiring soon: the active claims that end within the program's first reminder window, soonest
// first (GET /api/expiring-claims, loaded by the App with the capacity, since the status bar's
// banner counts them too), each with Renew. When the account did not grant the app the access
// reminder tasks need, the view says reminders appear here only.
import type { ExpiringClaims } from './api.js';
import { useExpiryText } from './expiry-text.js';
import { useI18n } from './i18n.js';
import { MAIN_TABLE_ID } from './main-table.js';
import { ContactCell, RegisteredAtCell, RegisteredByCell } from './registration-list.js';
import { ExpiresCell, RenewalNoticeBanner, useRenewal } from './renew-claim.js';

export function ExpiringView({ expiring, onChanged }: { expiring: ExpiringClaims | null; onChanged: () => Promise<void> }) {
  const { t, number } = useI18n();
  const text = useExpiryText();
  const renewal = useRenewal(onChanged);
  const items = expiring?.items ?? [];
  const days = number(expiring?.withinDays ?? 0);

  return (
    <section aria-labelledby="expiring-heading" className="panel">
      <h2 id="expiring-heading" className="visually-hidden">
        {text.heading}
      </h2>
      {expiring && expiring.claimPeriodDays === null && <p className="suggestions-intro">{text.noClaimPeriod}</p>}
      {expiring && expiring.claimPeriodDays !== null && <p className="suggestions-intro">{text.intro(days)}</p>}
      {expiring && !expiring.reminderTasks.granted && expiring.claimPeriodDays !== null && (
        <p className="alert alert-warning" data-testid="reminders-no-scope">
          {text.noScope}
        </p>
      )}
      <RenewalNoticeBanner renewal={renewal} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the skip link's target, and a table wider than the screen scrolls in this box, which the keyboard must reach (axe: scrollable-region-focusable) */}
      <div className="table-wrap" id={MAIN_TABLE_ID} tabIndex={0} aria-busy={expiring === null}>
        <table className="table">
          <caption className="visually-hidden">{text.tableCaption(number(expiring?.total ?? 0))}</caption>
          <thead>
            <tr>
              <th scope="col">{t.columns.domain}</th>
              <th scope="col">{t.columns.companyName}</th>
              <th scope="col">{t.columns.contactName}</th>
              <th scope="col">{text.column}</th>
              <th scope="col">{t.columns.registeredAt}</th>
              <th scope="col">{t.columns.registeredBy}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="expiring-row">
                <td className="domain-cell">{item.displayDomain}</td>
                <td>{item.companyName ?? '—'}</td>
                <ContactCell item={item} />
                <ExpiresCell item={item} renewal={renewal} />
                <RegisteredAtCell item={item} />
                <RegisteredByCell item={item} />
              </tr>
            ))}
            {expiring && items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  {expiring.claimPeriodDays === null ? text.noClaimPeriod : text.none(days)}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
