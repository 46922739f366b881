// Program settings: the claim rules (server/program/program-settings.ts) as a form. "Review the
// change" sends only what differs to the server's preview, which says what the change would do
// to claims (expiry dates, conflicts); the confirmation shows that, and only "Yes, save" changes
// anything — audited on the server with the operator's email. The server checks the values; the
// page only turns the fields into numbers.
import { useCallback, useId, useRef, useState } from 'react';
import type { ProgramSettingsChange } from '../../../console/console-contract.js';
import { consoleApi, type ProgramSettings, type SettingsPreview } from './console-api.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { useConsoleI18n, type ConsoleMessages } from './console-i18n.js';
import { failureMessage, useLoadOnOpen } from './use-load-on-open.js';

const TIERS = ['untiered', 'silver', 'gold', 'platinum', 'diamond'] as const;
type Tier = (typeof TIERS)[number];
const DAY_MS = 24 * 60 * 60 * 1000;

interface SettingsForm {
  claimMode: ProgramSettings['claimMode'];
  periodKind: 'none' | 'days';
  periodDays: string;
  tierDays: Record<Tier, string>;
  reminderDays: string;
  renewalsAllowed: string;
  inactivityDays: string;
}

function formOf(settings: ProgramSettings): SettingsForm {
  return {
    claimMode: settings.claimMode,
    periodKind: settings.claimPeriodDays === null ? 'none' : 'days',
    periodDays: settings.claimPeriodDays === null ? '' : String(settings.claimPeriodDays),
    tierDays: Object.fromEntries(TIERS.map((tier) => [tier, settings.claimPeriodDaysByTier[tier] === undefined ? '' : String(settings.claimPeriodDaysByTier[tier])])) as Record<
      Tier,
      string
    >,
    reminderDays: settings.reminderDays.join(', '),
    renewalsAllowed: String(settings.renewalsAllowed),
    inactivityDays: String(settings.inactivityDays),
  };
}

class FieldError extends Error {}

function wholeNumber(value: string, label: string, t: ConsoleMessages): number {
  if (!/^\d{1,6}$/.test(value.trim())) throw new FieldError(t.settings.notANumber(label));
  return Number(value.trim());
}

/** What the form changes, only that; a field that is not a whole number is refused here. */
function changesOf(current: ProgramSettings, form: SettingsForm, t: ConsoleMessages): ProgramSettingsChange {
  const changes: ProgramSettingsChange = {};
  if (form.claimMode !== current.claimMode) changes.claimMode = form.claimMode;
  const period = form.periodKind === 'none' ? null : wholeNumber(form.periodDays, t.settings.periodDays, t);
  if (period !== current.claimPeriodDays) changes.claimPeriodDays = period;
  const byTier: Partial<Record<Tier, number>> = {};
  for (const tier of TIERS) if (form.tierDays[tier].trim() !== '') byTier[tier] = wholeNumber(form.tierDays[tier], t.settings.tierDays(t.tiers[tier]), t);
  const sameTiers = TIERS.every((tier) => byTier[tier] === current.claimPeriodDaysByTier[tier]);
  if (!sameTiers) changes.claimPeriodDaysByTier = byTier;
  const reminders = form.reminderDays
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => wholeNumber(part, t.settings.reminderDays, t))
    .sort((a, b) => b - a);
  if (reminders.join(',') !== current.reminderDays.join(',')) changes.reminderDays = reminders;
  const renewals = wholeNumber(form.renewalsAllowed, t.settings.renewalsAllowed, t);
  if (renewals !== current.renewalsAllowed) changes.renewalsAllowed = renewals;
  const inactivity = wholeNumber(form.inactivityDays, t.settings.inactivityDays, t);
  if (inactivity !== current.inactivityDays) changes.inactivityDays = inactivity;
  return changes;
}

export function ProgramSettingsView({ operator }: { operator: string }) {
  const { t, number, dateTime } = useConsoleI18n();
  const [current, setCurrent] = useState<ProgramSettings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [review, setReview] = useState<{ changes: ProgramSettingsChange; preview: SettingsPreview } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const reviewButton = useRef<HTMLButtonElement>(null);
  const ids = { period: 'claim-period-days', reminders: useId(), remindersHint: useId(), renewals: useId(), inactivity: useId(), inactivityHint: useId(), tiersHint: useId() };

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const { settings } = await consoleApi.programSettings(signal);
        setCurrent(settings);
        setForm(formOf(settings));
      } catch (failure) {
        if (!signal?.aborted) setError(failureMessage(failure, t));
      }
    },
    [t],
  );
  useLoadOnOpen(load);

  const announce = (message: string) => {
    setNotice(message);
    setTimeout(() => noticeRef.current?.focus(), 0);
  };
  const edit = (patch: Partial<SettingsForm>) => {
    setForm((previous) => (previous ? { ...previous, ...patch } : previous));
    setNotice(null);
  };

  const startReview = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!current || !form) return;
    setError(null);
    let changes: ProgramSettingsChange;
    try {
      changes = changesOf(current, form, t);
    } catch (failure) {
      if (failure instanceof FieldError) return setError(failure.message);
      throw failure;
    }
    if (Object.keys(changes).length === 0) return announce(t.settings.nothingChanged);
    setBusy(true);
    try {
      setReview({ changes, preview: await consoleApi.previewProgramSettings(changes) });
    } catch (failure) {
      setError(failureMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!review) return;
    const saved = await consoleApi.saveProgramSettings(review.changes);
    setReview(null);
    setCurrent(saved.settings);
    setForm(formOf(saved.settings));
    announce(t.settings.saved(operator));
  };

  const effects = (preview: SettingsPreview): string[] => {
    const lines: string[] = [];
    const claims = [
      preview.claimsGettingExpiry > 0 ? t.settings.getting(number(preview.claimsGettingExpiry)) : null,
      preview.claimsChangingExpiry > 0 ? t.settings.changing(number(preview.claimsChangingExpiry)) : null,
      preview.claimsLosingExpiry > 0 ? t.settings.losing(number(preview.claimsLosingExpiry)) : null,
    ].filter((line): line is string => line !== null);
    if (claims.length === 0) lines.push(t.settings.noClaimChanges);
    else {
      const earliest = preview.earliestNewExpiry;
      const days = earliest ? number(Math.max(0, Math.round((Date.parse(earliest) - Date.now()) / DAY_MS))) : null;
      lines.push(`${claims.join('; ')}${earliest && days ? `; ${t.settings.earliest(days, dateTime(earliest))}` : ''}.`);
    }
    if (current?.claimMode === 'shared' && preview.settings.claimMode === 'exclusive' && preview.conflicts > 0) lines.push(t.settings.conflicts(number(preview.conflicts)));
    if (current?.claimMode === 'exclusive' && preview.settings.claimMode === 'shared') lines.push(t.settings.toShared);
    return lines;
  };

  return (
    <section aria-labelledby="settings-heading" className="panel">
      <h2 id="settings-heading">{t.settings.heading}</h2>
      <p className="setting-hint">{t.settings.intro}</p>
      {notice && (
        <p className="alert alert-success" role="status" tabIndex={-1} ref={noticeRef} data-testid="settings-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      )}
      {form && (
        <form onSubmit={(event) => void startReview(event)} aria-busy={busy}>
          <fieldset className="console-fieldset">
            <legend className="setting-label">{t.settings.claimMode}</legend>
            {(['exclusive', 'shared'] as const).map((mode) => (
              <label key={mode} className="console-choice">
                <input type="radio" name="claimMode" value={mode} checked={form.claimMode === mode} onChange={() => edit({ claimMode: mode })} /> {t.settings.modes[mode]}
              </label>
            ))}
          </fieldset>
          <fieldset className="console-fieldset">
            <legend className="setting-label">{t.settings.claimPeriod}</legend>
            <label className="console-choice">
              <input type="radio" name="periodKind" value="none" checked={form.periodKind === 'none'} onChange={() => edit({ periodKind: 'none' })} /> {t.settings.noPeriod}
            </label>
            <label className="console-choice">
              <input type="radio" name="periodKind" value="days" checked={form.periodKind === 'days'} onChange={() => edit({ periodKind: 'days' })} /> {t.settings.periodOf}
            </label>
            {form.periodKind === 'days' && (
              <p className="console-filter">
                <label htmlFor={ids.period}>{t.settings.periodDays}</label>
                <input id={ids.period} className="input" inputMode="numeric" value={form.periodDays} onChange={(event) => edit({ periodDays: event.target.value })} />
              </p>
            )}
          </fieldset>
          <fieldset className="console-fieldset" aria-describedby={ids.tiersHint}>
            <legend className="setting-label">{t.settings.tierPeriods}</legend>
            <p id={ids.tiersHint} className="setting-hint">
              {t.settings.tierPeriodsHint}
            </p>
            <div className="console-filters">
              {TIERS.map((tier) => (
                <label key={tier} className="console-filter">
                  {t.settings.tierDays(t.tiers[tier])}
                  <input
                    className="input"
                    inputMode="numeric"
                    size={6}
                    value={form.tierDays[tier]}
                    onChange={(event) => edit({ tierDays: { ...form.tierDays, [tier]: event.target.value } })}
                  />
                </label>
              ))}
            </div>
          </fieldset>
          <div className="console-filters">
            <p className="console-filter">
              <label htmlFor={ids.reminders}>{t.settings.reminderDays}</label>
              <input
                id={ids.reminders}
                className="input"
                aria-describedby={ids.remindersHint}
                value={form.reminderDays}
                onChange={(event) => edit({ reminderDays: event.target.value })}
              />
              <span id={ids.remindersHint} className="setting-hint">
                {t.settings.reminderHint}
              </span>
            </p>
            <p className="console-filter">
              <label htmlFor={ids.renewals}>{t.settings.renewalsAllowed}</label>
              <input id={ids.renewals} className="input" inputMode="numeric" value={form.renewalsAllowed} onChange={(event) => edit({ renewalsAllowed: event.target.value })} />
            </p>
            <p className="console-filter">
              <label htmlFor={ids.inactivity}>{t.settings.inactivityDays}</label>
              <input
                id={ids.inactivity}
                className="input"
                inputMode="numeric"
                aria-describedby={ids.inactivityHint}
                value={form.inactivityDays}
                onChange={(event) => edit({ inactivityDays: event.target.value })}
              />
              <span id={ids.inactivityHint} className="setting-hint">
                {t.settings.inactivityHint}
              </span>
            </p>
          </div>
          <div className="row-actions">
            <button type="submit" ref={reviewButton} className="button button-primary" disabled={busy}>
              {t.settings.review}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => {
                if (current) setForm(formOf(current));
                setError(null);
              }}
            >
              {t.settings.reset}
            </button>
          </div>
        </form>
      )}
      {review && (
        <ConfirmDialog
          title={t.settings.confirmTitle}
          confirmLabel={t.settings.yes}
          onCancel={() => {
            setReview(null);
            reviewButton.current?.focus();
          }}
          onConfirm={save}
        >
          <p>{t.settings.willDo}</p>
          <ul data-testid="settings-effects">
            {effects(review.preview).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </section>
  );
}
