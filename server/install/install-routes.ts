// Installing the app and signing in through HubSpot's OAuth.
//
// GET /oauth/install, GET /oauth/sign-in and GET /oauth/operator-sign-in (the program
// console's) send the browser to HubSpot's consent page with a
// `state` that is stored in Redis for ten minutes and can be used once (CSRF: a callback
// without a state we issued changes nothing). GET /oauth/callback completes the install, opens
// a Capacity Manager session for the user HubSpot names, and returns to where they started.
import { OPTIONAL_HUBSPOT_SCOPES } from '../expiry/expiry-reminders.js';
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppDependencies } from '../runtime/dependencies.js';
import { issueSession } from '../capacity-manager/session.js';
import { CONSOLE_PATH, completeOperatorSignIn } from '../console/operator-sign-in.js';
import { Problem } from '../http/problem.js';
import { parseInput } from '../http/validate.js';
import { completeInstall } from './complete-install.js';

const STATE_TTL_MS = 10 * 60 * 1000;

/** Only paths on this app: an open redirect would let anyone bounce users through our sign-in. */
const returnTo = z
  .string()
  .regex(/^\/(?![/\\])[\w\-./?=&%#]*$/, { error: 'returnTo must be a path on this app' })
  .max(500)
  .default('/');

const startQuery = z.object({ returnTo });
const callbackQuery = z.union([
  z.object({ code: z.string().min(1).max(2000), state: z.string().min(1).max(200) }),
  z.object({ error: z.string().max(200), error_description: z.string().max(1000).optional(), state: z.string().max(200).optional() }),
]);

/** Where HubSpot sends the installing user back; the app's redirect URL (extensions/src/app/app-hsmeta.json). */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';

interface OAuthState {
  purpose: 'install' | 'sign-in' | 'operator-sign-in';
  returnTo: string;
}

export function installRoutes(deps: AppDependencies): Router {
  const router = Router();
  const redirectUri = `${deps.config.publicUrl}${OAUTH_CALLBACK_PATH}`;
  const stateKey = (state: string) => `${deps.config.REDIS_KEY_PREFIX}:oauth-state:${state}`;

  async function startOAuth(purpose: OAuthState['purpose'], target: string): Promise<string> {
    const state = randomBytes(24).toString('base64url');
    await deps.redis.set(stateKey(state), JSON.stringify({ purpose, returnTo: target } satisfies OAuthState), 'PX', STATE_TTL_MS);
    const authorize = new URL(deps.config.HUBSPOT_AUTHORIZE_URL);
    authorize.searchParams.set('client_id', deps.config.HUBSPOT_CLIENT_ID);
    authorize.searchParams.set('redirect_uri', redirectUri);
    authorize.searchParams.set('scope', deps.config.HUBSPOT_SCOPES);
    // Granted or not at the partner's choice: without it expiry reminders create no HubSpot task (server/expiry/expiry-reminders.ts).
    authorize.searchParams.set('optional_scope', OPTIONAL_HUBSPOT_SCOPES.join(' '));
    authorize.searchParams.set('state', state);
    return authorize.toString();
  }

  router.get('/oauth/install', async (req, res) => {
    const { returnTo: target } = parseInput(startQuery, req, 'query');
    res.redirect(302, await startOAuth('install', target));
  });

  router.get('/oauth/sign-in', async (req, res) => {
    const { returnTo: target } = parseInput(startQuery, req, 'query');
    res.redirect(302, await startOAuth('sign-in', target));
  });

  // The program console's sign-in: the same consent, but the callback only learns who the user
  // is and opens a console session if they are an operator (console/operator-sign-in.ts).
  router.get('/oauth/operator-sign-in', async (_req, res) => {
    res.redirect(302, await startOAuth('operator-sign-in', CONSOLE_PATH));
  });

  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    const query = parseInput(callbackQuery, req, 'query');
    if ('error' in query) {
      if (query.state) await deps.redis.del(stateKey(query.state));
      throw new Problem({
        status: 403,
        code: 'OAUTH_DENIED',
        title: 'HubSpot did not grant access',
        detail: `HubSpot answered "${query.error}"${query.error_description ? `: ${query.error_description}` : ''}. Install the app again and approve the access it asks for.`,
      });
    }
    const stored = await deps.redis.getdel(stateKey(query.state));
    if (!stored) {
      throw new Problem({
        status: 400,
        code: 'OAUTH_STATE_INVALID',
        title: 'This sign-in link is not valid',
        detail: 'It expired, was already used, or did not start here. Start again from the install or sign-in link.',
      });
    }
    const state = JSON.parse(stored) as OAuthState;
    if (state.purpose === 'operator-sign-in') return completeOperatorSignIn(deps, res, { code: query.code, redirectUri });
    const install = await completeInstall(deps, { code: query.code, redirectUri });
    deps.logger.info({ portalId: install.portalId, purpose: state.purpose, newPortal: install.newPortal }, 'oauth completed');
    await issueSession(res, deps, { portalId: install.portalId, userId: install.userId, userEmail: install.userEmail });
    res.redirect(302, state.returnTo);
  });
  return router;
}
