// For tests: an operator signs in to the console the way a person does, through HubSpot's OAuth
// (the fake approves for the account named), and gets the console session's cookie and CSRF token.
export interface OperatorTestSession {
  cookie: string;
  csrfToken: string;
  fetch(path: string, init?: { method?: 'GET' | 'POST' | 'PATCH'; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

/** Follows /oauth/operator-sign-in → HubSpot's consent for `portalId` → our callback; returns the callback's answer. */
export async function operatorOAuth(serverUrl: string, portalId: number): Promise<Response> {
  const start = await fetch(`${serverUrl}/oauth/operator-sign-in`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`/oauth/operator-sign-in answered ${start.status}`);
  const consent = new URL(start.headers.get('location')!);
  consent.searchParams.set('portalId', String(portalId));
  const back = await fetch(consent, { redirect: 'manual' });
  const callback = new URL(back.headers.get('location')!);
  return fetch(`${serverUrl}${callback.pathname}${callback.search}`, { redirect: 'manual' });
}

export async function signInAsOperator(serverUrl: string, portalId: number): Promise<OperatorTestSession> {
  const answer = await operatorOAuth(serverUrl, portalId);
  const setCookie = answer.headers.get('set-cookie');
  if (answer.status !== 303 || !setCookie) throw new Error(`Operator sign-in opened no session (HTTP ${answer.status}, to ${answer.headers.get('location')}).`);
  const cookie = setCookie.split(';')[0]!;
  const session = (await (await fetch(`${serverUrl}/api/console/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  return {
    cookie,
    csrfToken: session.csrfToken,
    fetch: (path, init = {}) =>
      fetch(`${serverUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          cookie,
          ...(init.method && init.method !== 'GET' ? { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
  };
}
