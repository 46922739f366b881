// The status bar at the top of the page: domains used of the limit, the tier, a bar, an alert
// at 80, 90 and 100 % of the limit, and a notice when domains the partner waits for were
// released while its capacity was full (they went to the next partner on the waitlist), and a
// banner when claims expire within the first reminder window, linking to Expiring soon.
import type { CapacityInfo, ExpiringClaims } from './api.js';
import { useExpiryText } from './expiry-text.js';
import { useI18n } from './i18n.js';
import { useSuggestionsText } from './suggestions-text.js';

export function StatusBar({
  capacity,
  expiring = null,
  onReviewExpiring,
}: {
  capacity: CapacityInfo | null;
  expiring?: ExpiringClaims | null;
  onReviewExpiring?: (event: React.MouseEvent<HTMLAnchorElement>) => void;
}) {
  const { t, number, counted, percent } = useI18n();
  const suggestionsText = useSuggestionsText();
  const expiryText = useExpiryText();
  if (!capacity) {
    return (
      <section className="status-bar" aria-busy="true" aria-label={t.capacity.heading}>
        <p>{t.loading}</p>
      </section>
    );
  }
  const usedOf = t.capacity.usedOf(number(capacity.used), counted(capacity.limit, t.capacity.domains));
  const over = capacity.used - capacity.limit;
  const share = capacity.limit === 0 ? 1 : Math.min(1, capacity.used / capacity.limit);
  const level = capacity.alertLevel;
  const skips = capacity.waitlistSkips;
  return (
    <section className="status-bar" aria-labelledby="capacity-heading">
      <div className="status-figures">
        <h2 id="capacity-heading" className="status-heading">
          {t.capacity.heading}
        </h2>
        <p className="status-used" data-testid="capacity-used">
          <strong>{usedOf}</strong> {t.capacity.domainsUsed}
        </p>
        <p className="status-meta">
          <span className="tier-tag">
            {t.capacity.tier}: {t.tiers[capacity.tier]}
          </span>
          {capacity.limitSource === 'override' && <span> · {t.capacity.limitSet}</span>}
          <span> · {t.capacity.remaining(number(capacity.remaining))}</span>
        </p>
      </div>
      <div
        className={`bar bar-${level ?? 'ok'}`}
        role="progressbar"
        aria-label={t.capacity.barLabel}
        aria-valuemin={0}
        aria-valuemax={capacity.limit}
        aria-valuenow={Math.min(capacity.used, capacity.limit)}
        aria-valuetext={usedOf}
      >
        <div className="bar-fill" style={{ width: `${share * 100}%` }} />
      </div>
      {level !== null && (
        <div className={`alert ${level === 100 ? 'alert-danger' : 'alert-warning'}`} role="alert" data-testid="capacity-alert">
          {t.capacity.alert[level](percent(capacity.used, capacity.limit))}
          {over > 0 && ` ${t.capacity.overLimit(number(over), number(capacity.limit), number(over + 1))}`}
          {over > 0 && (
            <>
              {' '}
              <a href="/suggestions">{suggestionsText.seeSuggestions}</a>
            </>
          )}
        </div>
      )}
      {skips.count > 0 && (
        <p className="alert alert-warning" data-testid="waitlist-skipped">
          {t.capacity.waitlistSkipped(skips.count, number(skips.count), skips.recent.map((skip) => skip.displayDomain).join(', '))}
        </p>
      )}
      {expiring && expiring.total > 0 && (
        <p className="alert alert-warning" data-testid="expiring-banner">
          {counted(expiring.total, expiryText.banner, { days: number(expiring.withinDays) })} —{' '}
          <a href="/expiring" onClick={onReviewExpiring}>
            {expiryText.review}
          </a>
        </p>
      )}
    </section>
  );
}
