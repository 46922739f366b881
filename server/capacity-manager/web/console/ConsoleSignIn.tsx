// Signed out: sign in with HubSpot (operators only), or in demo mode as the demo operator. After
// a refused HubSpot sign-in (?signIn=not-an-operator) it says why the console stays closed.
import { useState } from 'react';
import { consoleApi } from './console-api.js';
import { useConsoleI18n } from './console-i18n.js';
import { failureMessage } from './use-load-on-open.js';

export function ConsoleSignIn({ demo, onSignedIn }: { demo: boolean; onSignedIn: () => void }) {
  const { t, locale } = useConsoleI18n();
  const [error, setError] = useState<string | null>(null);
  const reason = new URLSearchParams(window.location.search).get('signIn');
  const notice = reason === 'not-an-operator' ? t.signIn.notAnOperator : undefined;

  const demoSignIn = async () => {
    try {
      await consoleApi.demoSignIn(locale);
      window.history.replaceState(null, '', window.location.pathname);
      onSignedIn();
    } catch (failure) {
      setError(failureMessage(failure, t));
    }
  };

  return (
    <section className="sign-in panel" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">{t.signIn.heading}</h1>
      {notice && (
        <div className="alert alert-danger" role="alert" data-testid="sign-in-refused">
          {notice}
        </div>
      )}
      <p>{t.signIn.intro}</p>
      <p>
        <a className="button button-primary" href="/oauth/operator-sign-in">
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
