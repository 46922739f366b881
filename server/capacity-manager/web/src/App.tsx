// The Capacity Manager: signs in (or shows how to), then the status bar and the three views.
// Views are paths (/, /expiring, /history, /audit) so that the browser's back button and links work.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, setApiLocale, setCsrfToken, type CapacityInfo, type ExpiringClaims, type SessionInfo } from './api.js';
import { AuditView } from './AuditView.js';
import { ExpiringView } from './ExpiringView.js';
import { HistoryView } from './HistoryView.js';
import { createI18n, I18nContext, type Locale } from './i18n.js';
import { MAIN_TABLE_ID } from './main-table.js';
import { RegistrationsView } from './RegistrationsView.js';
import { SettingsView } from './SettingsView.js';
import { SignIn } from './SignIn.js';
import { SuggestionsView } from './SuggestionsView.js';
import { StatusBar } from './StatusBar.js';

const VIEWS = ['registered', 'expiring', 'suggestions', 'history', 'audit', 'settings'] as const;
type View = (typeof VIEWS)[number];
const VIEW_PATHS: Record<View, string> = {
  registered: '/',
  expiring: '/expiring',
  suggestions: '/suggestions',
  history: '/history',
  audit: '/audit',
  settings: '/settings',
};
/** The soonest expiring claims the Expiring soon view shows (the banner counts them all). */
const EXPIRING_LIMIT = 200;

function viewOf(pathname: string): View {
  return VIEWS.find((view) => VIEW_PATHS[view] === pathname) ?? 'registered';
}

const LOCALE_KEY = 'partner-capacity:locale';

/** Moves focus to the target (and scrolls to it) without changing the address, which holds the list's state. */
const skipTo = (id: string) => (event: React.MouseEvent<HTMLAnchorElement>) => {
  const target = document.getElementById(id);
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: 'start' });
};

function storedLocale(): Locale | null {
  const value = window.localStorage.getItem(LOCALE_KEY);
  return value === 'en' || value === 'sv' ? value : null;
}

type SessionState = { status: 'loading' } | { status: 'signed-out'; demo: boolean } | { status: 'signed-in'; session: SessionInfo } | { status: 'error'; message: string };

export function App() {
  const [sessionState, setSessionState] = useState<SessionState>({ status: 'loading' });
  const [locale, setLocale] = useState<Locale>(() => storedLocale() ?? (navigator.language.toLowerCase().startsWith('sv') ? 'sv' : 'en'));
  const [view, setView] = useState<View>(() => viewOf(window.location.pathname));
  const [capacity, setCapacity] = useState<CapacityInfo | null>(null);
  const [expiring, setExpiring] = useState<ExpiringClaims | null>(null);
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const heading = useRef<HTMLHeadingElement>(null);

  const loadSession = useCallback(async () => {
    try {
      const session = await api.session();
      setCsrfToken(session.csrfToken);
      // The user's own choice on this browser wins over the HubSpot locale the link carried.
      setLocale(storedLocale() ?? session.locale);
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

  // The expiring claims change with the capacity (a renewal, a deregistration, an expiry), so
  // they are read with it: the banner, the Expires column and the Expiring soon view follow.
  const refreshCapacity = useCallback(async () => {
    const signedOut = (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) void loadSession();
    };
    // Each on its own: an expiring list that fails to load never hides the capacity.
    await Promise.all([api.capacity().then(setCapacity, signedOut), api.expiringClaims(EXPIRING_LIMIT).then(setExpiring, signedOut)]);
  }, [loadSession]);

  useEffect(() => void loadSession(), [loadSession]);
  useEffect(() => {
    if (sessionState.status === 'signed-in') void refreshCapacity();
  }, [sessionState.status, refreshCapacity]);
  // Signed in (from the card's link, HubSpot or the demo button): keyboard and screen-reader
  // users start at the page's heading, not somewhere in the page body. The skip link follows it.
  useEffect(() => {
    if (sessionState.status === 'signed-in') heading.current?.focus();
  }, [sessionState.status]);
  useEffect(() => {
    setApiLocale(locale);
    document.documentElement.lang = locale;
    document.title = `${i18n.t.title} · ${i18n.t.appName}`;
  }, [locale, i18n]);
  useEffect(() => {
    const onPop = () => setView(viewOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const switchLocale = (next: Locale) => {
    window.localStorage.setItem(LOCALE_KEY, next);
    setLocale(next);
  };
  const goTo = (next: View) => (event: React.MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    window.history.pushState(null, '', VIEW_PATHS[next]);
    setView(next);
  };
  const signOut = async () => {
    await api.signOut().catch(() => {});
    setCapacity(null);
    setExpiring(null);
    setSessionState({ status: 'signed-out', demo: sessionState.status === 'signed-in' && sessionState.session.demo });
  };

  const { t } = i18n;
  const session = sessionState.status === 'signed-in' ? sessionState.session : null;
  // Expiring soon is a view only where claims expire (or when its address was opened).
  const shownViews = VIEWS.filter((name) => name !== 'expiring' || view === 'expiring' || (expiring?.claimPeriodDays ?? null) !== null);
  return (
    <I18nContext.Provider value={i18n}>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>{t.appName}</span>
        </div>
        <div className="topbar-actions">
          {session && <span className="topbar-user">{t.signedInAs(session.user.email ?? session.user.id)}</span>}
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
        {sessionState.status === 'signed-out' && <SignIn demo={sessionState.demo} onSignedIn={() => void loadSession()} />}
        {session && (
          <>
            <div className="page-heading">
              <h1 ref={heading} tabIndex={-1}>
                {t.title}
              </h1>
              <a
                className="skip-link"
                href={view === 'settings' ? '#settings-heading' : `#${MAIN_TABLE_ID}`}
                onClick={skipTo(view === 'settings' ? 'settings-heading' : MAIN_TABLE_ID)}
              >
                {view === 'settings' ? t.skipToSettings : t.skipToTable}
              </a>
              {session.portal.name && <p className="portal-name">{session.portal.name}</p>}
            </div>
            <StatusBar capacity={capacity} expiring={expiring} onReviewExpiring={goTo('expiring')} />
            <nav className="tabs" aria-label={t.views.label}>
              {shownViews.map((name) => (
                <a key={name} href={VIEW_PATHS[name]} className="tab" aria-current={view === name ? 'page' : undefined} onClick={goTo(name)}>
                  {t.views[name]}
                </a>
              ))}
            </nav>
            {view === 'registered' && <RegistrationsView capacity={capacity} expiring={expiring} onCapacityChanged={refreshCapacity} />}
            {view === 'expiring' && <ExpiringView expiring={expiring} onChanged={refreshCapacity} />}
            {view === 'suggestions' && <SuggestionsView capacity={capacity} onCapacityChanged={refreshCapacity} />}
            {view === 'history' && <HistoryView onCapacityChanged={refreshCapacity} />}
            {view === 'audit' && <AuditView />}
            {view === 'settings' && <SettingsView />}
          </>
        )}
      </main>
    </I18nContext.Provider>
  );
}
