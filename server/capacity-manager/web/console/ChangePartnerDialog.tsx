// "Change the tier of X?" / "Change the limit of X?": the new value, what it will mean, and
// Yes, change. A native modal <dialog> (focus stays inside, Escape cancels, focus returns to the
// button that opened it); the change is audited on the server with the operator's email.
import { useEffect, useId, useRef, useState } from 'react';
import type { PartnerChange } from '../../../console/console-contract.js';
import { ApiError, type Partner } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';

const TIERS = ['untiered', 'silver', 'gold', 'platinum', 'diamond'] as const;
/** The tiers' limits, for the sentence only: the server decides (server/domain/capacity.ts). */
const TIER_LIMITS: Record<(typeof TIERS)[number], number> = { untiered: 50, silver: 500, gold: 500, platinum: 500, diamond: 1000 };

export type ChangeKind = 'tier' | 'limit';

export function ChangePartnerDialog({
  partner,
  kind,
  onCancel,
  onConfirm,
}: {
  partner: Partner;
  kind: ChangeKind;
  onCancel: () => void;
  onConfirm: (change: PartnerChange) => Promise<void>;
}) {
  const { t, number } = useConsoleI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLSelectElement & HTMLInputElement>(null);
  const [tier, setTier] = useState<(typeof TIERS)[number]>(partner.tier);
  const [limit, setLimit] = useState(partner.limitOverridden ? String(partner.limit) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const fieldId = useId();
  const name = partner.name ?? String(partner.portalId);

  useEffect(() => {
    dialog.current?.showModal();
    first.current?.focus();
  }, []);

  const cancel = () => {
    dialog.current?.close();
    onCancel();
  };
  const confirm = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(kind === 'tier' ? { tier } : { limit: limit.trim() === '' ? null : Number(limit) });
      dialog.current?.close();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t.errors.generic);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) cancel();
      }}
    >
      <form onSubmit={(event) => void confirm(event)}>
        <h2 id={titleId} className="dialog-title">
          {kind === 'tier' ? t.confirm.tierTitle(name) : t.confirm.limitTitle(name)}
        </h2>
        {kind === 'tier' ? (
          <>
            <p>
              <label htmlFor={fieldId}>{t.partners.tier}</label>{' '}
              <select id={fieldId} ref={first} className="input" value={tier} onChange={(event) => setTier(event.target.value as (typeof TIERS)[number])}>
                {TIERS.map((option) => (
                  <option key={option} value={option}>
                    {t.tiers[option]}
                  </option>
                ))}
              </select>
            </p>
            <p data-testid="change-effect">{t.confirm.tierBody(t.tiers[partner.tier], t.tiers[tier], number(partner.limitOverridden ? partner.limit : TIER_LIMITS[tier]))}</p>
          </>
        ) : (
          <>
            <p>
              <label htmlFor={fieldId}>{t.confirm.limitLabel}</label>{' '}
              <input id={fieldId} ref={first} className="input" type="number" min={0} step={1} value={limit} onChange={(event) => setLimit(event.target.value)} />
            </p>
            <p>{t.confirm.limitBody}</p>
          </>
        )}
        {error && (
          <p className="alert alert-danger" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={cancel} disabled={busy}>
            {t.confirm.cancel}
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t.confirm.yes}
          </button>
        </div>
      </form>
    </dialog>
  );
}
