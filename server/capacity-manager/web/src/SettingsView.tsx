// The portal's own rule for automatic registration, changed by its users (audited).
import { useEffect, useState } from 'react';
import { api, ApiError, type PortalSettings } from './api.js';
import { useI18n } from './i18n.js';

export function SettingsView() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<PortalSettings | null>(null);
  const [message, setMessage] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);

  useEffect(() => {
    api
      .settings()
      .then(setSettings)
      .catch((failure: unknown) => setMessage({ kind: 'error', text: failure instanceof ApiError ? failure.message : t.errors.generic }));
  }, [t]);

  const change = async (autoRegisterNewContacts: boolean) => {
    const before = settings;
    setMessage(null);
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
      <h2 id="settings-heading" className="visually-hidden">
        {t.views.settings}
      </h2>
      {settings ? (
        <div className="setting">
          <input
            id="auto-register"
            type="checkbox"
            checked={settings.autoRegisterNewContacts}
            onChange={(event) => void change(event.target.checked)}
            aria-describedby="auto-register-hint"
          />
          <div>
            <label htmlFor="auto-register" className="setting-label">
              {t.settings.autoRegister}
            </label>
            <p id="auto-register-hint" className="setting-hint">
              {t.settings.autoRegisterHint}
            </p>
          </div>
        </div>
      ) : (
        !message && <p role="status">{t.loading}</p>
      )}
      <p role="status" className={message?.kind === 'error' ? 'job-error' : 'setting-saved'}>
        {message?.text}
      </p>
    </section>
  );
}
