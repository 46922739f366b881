// "Change the tier of X?" / "Change the limit of X?": the new value, what it will mean, and
// Yes, change, in the console's confirmation dialog (ConfirmDialog; focus starts on the field);
// the change is audited on the server with the operator's email.
import { useId, useRef, useState } from 'react';
import type { PartnerChange } from '../../../console/console-contract.js';
import { PARTNER_TIERS, TIER_LIMITS, type PartnerTier } from '../../../domain/capacity.js';
import type { Partner } from './console-api.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { useConsoleI18n } from './console-i18n.js';

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
  const first = useRef<HTMLSelectElement & HTMLInputElement>(null);
  const [tier, setTier] = useState<PartnerTier>(partner.tier);
  const [limit, setLimit] = useState(partner.limitOverridden ? String(partner.limit) : '');
  const fieldId = useId();
  const name = partner.name ?? String(partner.portalId);

  return (
    <ConfirmDialog
      title={kind === 'tier' ? t.confirm.tierTitle(name) : t.confirm.limitTitle(name)}
      confirmLabel={t.confirm.yes}
      initialFocus={first}
      onCancel={onCancel}
      onConfirm={() => onConfirm(kind === 'tier' ? { tier } : { limit: limit.trim() === '' ? null : Number(limit) })}
    >
      {kind === 'tier' ? (
        <>
          <p>
            <label htmlFor={fieldId}>{t.partners.tier}</label>{' '}
            <select id={fieldId} ref={first} className="input" value={tier} onChange={(event) => setTier(event.target.value as PartnerTier)}>
              {PARTNER_TIERS.map((option) => (
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
    </ConfirmDialog>
  );
}
