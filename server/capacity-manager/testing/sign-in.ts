// For tests: a Capacity Manager session the way a partner gets one, by following a card link.
import { loadConfig } from '../../config/config.js';
import { testEnvironment } from '../../../test/support/server.js';
import { issueCardLink } from '../card-link.js';
import type { Locale } from '../locale.js';
import type { SessionIdentity } from '../session.js';

export interface TestSession {
  /** The Cookie header to send. */
  cookie: string;
  csrfToken: string;
  /** fetch() on the server with the session (and, for POST, the CSRF token) attached. */
  fetch(path: string, init?: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

/** Redeems a fresh card link on the server and returns the session it opened. */
export async function signInThroughCardLink(
  serverUrl: string,
  identity: SessionIdentity,
  { locale = 'en', env = {} }: { locale?: Locale; env?: Record<string, string> } = {},
): Promise<TestSession> {
  const config = loadConfig(testEnvironment(env));
  const link = new URL(issueCardLink({ config }, identity, locale).url);
  const redeemed = await fetch(`${serverUrl}${link.pathname}${link.search}`, { redirect: 'manual' });
  const setCookie = redeemed.headers.get('set-cookie');
  if (redeemed.status !== 303 || !setCookie) throw new Error(`The card link did not open a session (HTTP ${redeemed.status}).`);
  const cookie = setCookie.split(';')[0]!;
  const session = (await (await fetch(`${serverUrl}/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  return {
    cookie,
    csrfToken: session.csrfToken,
    fetch: (path, init = {}) =>
      fetch(`${serverUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          cookie,
          ...(init.method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        redirect: 'manual',
      }),
  };
}
