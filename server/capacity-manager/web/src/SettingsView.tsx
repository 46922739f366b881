// The portal's own rule for automatic registration, changed by its users (audited). Before it is
// turned on, the page shows what it would have done and a warning; turning it on is then one
// confirmation. Turning it off takes effect at once.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type PortalSettings } from './api.js';
import { AutoRegisterPreview } from './auto-register-preview.js';
import { useI18n } from './i18n.js';
import { RefusalReason, RolesSettings, useManagePermission } from './roles.js';

export function SettingsView() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<PortalSettings | null>(null);
  const [message, setMessage] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const ruleBox = useRef<HTMLInputElement>(null);
  const permission = useManagePermission();

  useEffect(() => {
    api
      .settings()
      .then(setSettings)
      .catch((failure: unknown) => setMessage({ kind: 'error', text: failure instanceof ApiError ? failure.message : t.errors.generic }));
  }, [t]);

  const change = async (autoRegisterNewContacts: boolean) => {
    const before = settings;
    setMessage(null);
    setConfirming(false);
    // The box follows the click at once; it goes back if the change is refused.
    setSettings({ autoRegisterNewContacts });
    try {
      setSettings(await api.changeSettings({ autoRegisterNewContacts }));
      setMessage({ kind: 'saved', text: t.settings.saved });
    } catch (failure) {
      setSettings(before);
      setMessage({ kind: 'error', text: failure instanceof ApiError ? failure.message : t.errors.generic });
    }
  };

  return (
    <section aria-labelledby="settings-heading" className="panel">
      <h2 id="settings-heading" className="visually-hidden" tabIndex={-1}>
        {t.views.settings}
      </h2>
      {settings ? (
        <div className="setting">
          <input
            id="auto-register"
            type="checkbox"
            ref={ruleBox}
            checked={settings.autoRegisterNewContacts || confirming}
            disabled={!permission.mayManage}
            onChange={(event) => {
              if (event.target.checked) {
                setMessage(null);
                setConfirming(true);
              } else if (confirming) setConfirming(false);
              else void change(false);
            }}
            aria-describedby={permission.mayManage ? 'auto-register-hint' : 'auto-register-hint settings-refusal'}
          />
          <div>
            <label htmlFor="auto-register" className="setting-label">
              {t.settings.autoRegister}
            </label>
            <p id="auto-register-hint" className="setting-hint">
              {t.settings.autoRegisterHint}
            </p>
            <RefusalReason id="settings-refusal" permission={permission} />
          </div>
        </div>
      ) : (
        !message && <p role="status">{t.loading}</p>
      )}
      {settings && !settings.autoRegisterNewContacts && permission.mayManage && (
        <AutoRegisterPreview
          confirming={confirming}
          onConfirm={() => void change(true)}
          onCancel={() => {
            setConfirming(false);
            ruleBox.current?.focus();
          }}
        />
      )}
      <p role="status" className={message?.kind === 'error' ? 'job-error' : 'setting-saved'}>
        {message?.text}
      </p>
      <RolesSettings permission={permission} />
    </section>
  );
}
