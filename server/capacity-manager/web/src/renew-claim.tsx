// A claim's expiry in a list row (date and time like the Registered column, and how soon), its
// Renew button (POST /api/registrations/:id/renewal), and what the renewal said: the new expiry,
// or why it was refused — in the page's language, kept as data so a language switch rewords it.
import { useState } from 'react';
import { FORMAT_TAGS } from '../../../../extensions/src/app/cards/locale-format.js';
import { api, ApiError, type RegistrationView } from './api.js';
import { useExpiryText } from './expiry-text.js';
import { useI18n } from './i18n.js';

type RenewalNotice = { kind: 'renewed'; domain: string; expiresAt: string; renewalsLeft: number } | { kind: 'refused'; domain: string; code: string; serverSentence: string };

export interface Renewal {
  notice: RenewalNotice | null;
  /** The registration being renewed now, if any. */
  busyId: string | null;
  renew(item: Pick<RegistrationView, 'id' | 'displayDomain'>): Promise<void>;
}

/** Renews one claim at a time; `onRenewed` reloads what shows the expiry (the list, the banner). */
export function useRenewal(onRenewed: () => void | Promise<void>): Renewal {
  const [notice, setNotice] = useState<RenewalNotice | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  return {
    notice,
    busyId,
    async renew(item) {
      setBusyId(item.id);
      setNotice(null);
      try {
        const renewed = await api.renew(item.id);
        setNotice({ kind: 'renewed', domain: item.displayDomain, expiresAt: renewed.expiresAt, renewalsLeft: renewed.renewalsLeft });
        await onRenewed();
      } catch (error) {
        setNotice({
          kind: 'refused',
          domain: item.displayDomain,
          code: error instanceof ApiError ? error.code : 'UNKNOWN',
          serverSentence: error instanceof ApiError ? error.message : '',
        });
        await onRenewed();
      } finally {
        setBusyId(null);
      }
    },
  };
}

/** What the last renewal said, at the top of the view. */
export function RenewalNoticeBanner({ renewal }: { renewal: Renewal }) {
  const text = useExpiryText();
  const { t, dateTime, counted } = useI18n();
  const { notice } = renewal;
  if (!notice) return null;
  if (notice.kind === 'renewed') {
    return (
      <p className="alert alert-success" role="status" data-testid="renewal-notice">
        {text.renewed(notice.domain, dateTime(notice.expiresAt))} {counted(notice.renewalsLeft, text.renewalsLeft)}.
      </p>
    );
  }
  const sentence = text.refusals[notice.code]?.(notice.domain) ?? (notice.serverSentence || t.errors.generic);
  return (
    <p className="alert alert-danger" role="alert" data-testid="renewal-notice">
      {sentence}
    </p>
  );
}

const UNTIL_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  // No months: "in 40 days" says more about a claim than "next month".
  ['year', 365 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** How soon (or how long ago) an instant is, in the largest unit, rounded: "in 12 days", "om 12 dagar" (a claim renewed a second ago still expires "in 30 days"). */
function relativeTo(iso: string, tag: string, now = Date.now()): string {
  const difference = Date.parse(iso) - now;
  const [unit, size] = UNTIL_UNITS.find(([, length]) => Math.abs(difference) >= length) ?? ['minute', 60_000];
  return new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }).format(Math.round(difference / size), unit);
}

/**
 * The Expires cell: "Never" for a claim without expiry; else the date, how soon, and (given a
 * renewal) the Renew button with the renewals left — disabled, saying why, when none are left.
 * Any user of the portal may renew, as any may register from the card: renewing keeps a claim,
 * it neither releases one nor changes settings (the manager role's rights).
 */
export function ExpiresCell({ item, renewal }: { item: Pick<RegistrationView, 'id' | 'displayDomain' | 'expiresAt' | 'renewalsLeft'>; renewal?: Renewal }) {
  const text = useExpiryText();
  const { locale, dateTime, counted } = useI18n();
  if (!item.expiresAt) return <td>{text.never}</td>;
  const left = item.renewalsLeft ?? 0;
  const leftId = `renewals-left-${item.id}`;
  return (
    <td className="expires-cell">
      <time dateTime={item.expiresAt}>{dateTime(item.expiresAt)}</time>
      <span className="age">{relativeTo(item.expiresAt, FORMAT_TAGS[locale])}</span>
      {renewal && (
        <span className="renew-control">
          <button
            type="button"
            className="button button-secondary button-small"
            aria-label={text.renewLabel(item.displayDomain)}
            aria-describedby={leftId}
            disabled={left === 0 || renewal.busyId !== null}
            onClick={() => void renewal.renew(item)}
          >
            {text.renew}
          </button>
          <span id={leftId} className="renewals-left">
            {left === 0 ? text.noRenewalsLeft : counted(left, text.renewalsLeft)}
          </span>
        </span>
      )}
    </td>
  );
}
