// The program console: signs the operator in (or says why not), then its views. Views are paths
// under /console, so back, reload and links work; a view is one entry in VIEWS and one component.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, consoleApi, setConsoleCsrfToken, type ConsoleSession } from './console-api.js';
import { ConsoleI18nContext, createConsoleI18n, type Locale } from './console-i18n.js';
import { ConflictsView } from './ConflictsView.js';
import { ConsoleSignIn } from './ConsoleSignIn.js';
import { HubSpotUsageView } from './HubSpotUsageView.js';
import { ProgramSettingsView } from './ProgramSettingsView.js';
import { ProgramAuditView } from './ProgramAuditView.js';
import { JobsView } from './JobsView.js';
import { PartnersView } from './PartnersView.js';
import { PartnerView } from './PartnerView.js';

const VIEWS = ['partners', 'settings', 'conflicts', 'jobs', 'usage', 'audit'] as const;
type View = (typeof VIEWS)[number];
const VIEW_PATHS: Record<View, string> = {
  partners: '/console',
  settings: '/console/settings',
  conflicts: '/console/conflicts',
  jobs: '/console/jobs',
  usage: '/console/hubspot-usage',
  audit: '/console/audit',
};

type Route = { view: View } | { view: 'partner'; portalId: number };

function routeOf(pathname: string): Route {
  const partner = /^\/console\/partners\/(\d+)$/.exec(pathname);
  if (partner) return { view: 'partner', portalId: Number(partner[1]) };
  return { view: VIEWS.find((view) => VIEW_PATHS[view] === pathname) ?? 'partners' };
}

const LOCALE_KEY = 'partner-capacity:locale';
function storedLocale(): Locale | null {
  const value = window.localStorage.getItem(LOCALE_KEY);
  return value === 'en' || value === 'sv' ? value : null;
}

type SessionState = { status: 'loading' } | { status: 'signed-out'; demo: boolean } | { status: 'signed-in'; session: ConsoleSession } | { status: 'error'; message: string };

export function ConsoleApp() {
  const [sessionState, setSessionState] = useState<SessionState>({ status: 'loading' });
  const [locale, setLocale] = useState<Locale>(() => storedLocale() ?? (navigator.language.toLowerCase().startsWith('sv') ? 'sv' : 'en'));
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.pathname));
  const i18n = useMemo(() => createConsoleI18n(locale), [locale]);
  const { t } = i18n;

  const loadSession = useCallback(async () => {
    try {
      const session = await consoleApi.session();
      setConsoleCsrfToken(session.csrfToken);
      setSessionState({ status: 'signed-in', session });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        const signIn = error.body.signIn as { demo?: boolean } | undefined;
        setSessionState({ status: 'signed-out', demo: Boolean(signIn?.demo) });
      } else {
        setSessionState({ status: 'error', message: (error as Error).message });
      }
    }
  }, []);

  useEffect(() => void loadSession(), [loadSession]);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = `${t.title} · ${t.appName}`;
  }, [locale, t]);
  useEffect(() => {
    const onPop = () => setRoute(routeOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((path: string) => {
    window.history.pushState(null, '', path);
    setRoute(routeOf(new URL(path, window.location.origin).pathname));
    window.scrollTo(0, 0);
  }, []);
  const linkTo = (path: string) => (event: React.MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
  const switchLocale = (next: Locale) => {
    window.localStorage.setItem(LOCALE_KEY, next);
    setLocale(next);
  };
  const signOut = async () => {
    await consoleApi.signOut().catch(() => {});
    setSessionState({ status: 'signed-out', demo: sessionState.status === 'signed-in' && sessionState.session.demo });
  };

  const session = sessionState.status === 'signed-in' ? sessionState.session : null;
  const currentTab: View = route.view === 'partner' ? 'partners' : route.view;
  return (
    <ConsoleI18nContext.Provider value={i18n}>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>
            {t.appName} · {t.title}
          </span>
        </div>
        <div className="topbar-actions">
          {session && <span className="topbar-user">{t.signedInAs(session.operator.email)}</span>}
          <button type="button" className="button button-link" lang={t.otherLanguageCode} onClick={() => switchLocale(t.otherLanguageCode)}>
            {t.otherLanguage}
          </button>
          {session && (
            <button type="button" className="button button-secondary" onClick={() => void signOut()}>
              {t.signOut}
            </button>
          )}
        </div>
      </header>
      <main className="page" id="main">
        {sessionState.status === 'loading' && <p role="status">{t.loading}</p>}
        {sessionState.status === 'error' && (
          <div className="alert alert-danger" role="alert">
            <p>{sessionState.message}</p>
            <button type="button" className="button button-secondary" onClick={() => void loadSession()}>
              {t.errors.retry}
            </button>
          </div>
        )}
        {sessionState.status === 'signed-out' && <ConsoleSignIn demo={sessionState.demo} onSignedIn={() => void loadSession()} />}
        {session && (
          <>
            <div className="page-heading">
              <h1>{t.title}</h1>
            </div>
            <nav className="tabs" aria-label={t.views.label}>
              {VIEWS.map((name) => (
                <a key={name} href={VIEW_PATHS[name]} className="tab" aria-current={currentTab === name ? 'page' : undefined} onClick={linkTo(VIEW_PATHS[name])}>
                  {t.views[name]}
                </a>
              ))}
            </nav>
            {route.view === 'partners' && <PartnersView operator={session.operator.email} onOpen={(portalId) => navigate(`/console/partners/${portalId}`)} />}
            {route.view === 'partner' && <PartnerView portalId={route.portalId} onBack={() => navigate('/console')} />}
            {route.view === 'audit' && <ProgramAuditView />}
            {route.view === 'jobs' && <JobsView queueDashboard={session.queueDashboard} />}
            {route.view === 'settings' && <ProgramSettingsView operator={session.operator.email} />}
            {route.view === 'conflicts' && <ConflictsView />}
            {route.view === 'usage' && <HubSpotUsageView />}
          </>
        )}
      </main>
    </ConsoleI18nContext.Provider>
  );
}
