// Signed out: how to get in. From the card's link (the usual way), through HubSpot sign-in, or
// in demo mode, straight into the demo portal.
import { useState } from 'react';
import { api, ApiError } from './api.js';
import { useI18n } from './i18n.js';

export function SignIn({ demo, onSignedIn }: { demo: boolean; onSignedIn: () => void }) {
  const { t, locale } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const reason = new URLSearchParams(window.location.search).get('signIn');
  const notice = reason ? t.signIn[reason] : undefined;

  const demoSignIn = async () => {
    try {
      await api.demoSignIn(locale);
      window.history.replaceState(null, '', window.location.pathname);
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t.errors.generic);
    }
  };

  return (
    <section className="sign-in panel" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">{t.signIn.heading}</h1>
      {notice && (
        <div className="alert alert-warning" role="alert">
          {notice}
        </div>
      )}
      <p>{t.signIn.intro}</p>
      <p>
        <a className="button button-primary" href="/oauth/sign-in?returnTo=/">
          {t.signIn.withHubSpot}
        </a>
      </p>
      {demo && (
        <div className="demo-sign-in">
          <p>{t.signIn.demoHint}</p>
          <button type="button" className="button button-secondary" onClick={() => void demoSignIn()}>
            {t.signIn.demo}
          </button>
        </div>
      )}
      {error && (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
