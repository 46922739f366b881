// Signing an operator in through HubSpot: the same OAuth consent as the Capacity Manager's
// sign-in (install/install-routes.ts starts it and receives the callback), but all it takes from
// HubSpot is who the user is. Nothing is installed or stored for the operator's own account: the
// tokens only prove the email, and are dropped.
//
// The email is the HubSpot user's, as HubSpot's token introspection names it
// (`user`; https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect,
// read by hubspot/oauth-client.ts, which completeInstall also relies on for the installing user). Only
// the people in OPERATOR_EMAILS get a console session; anyone else is sent back to the console's
// sign-in, which says why.
import type { Response } from 'express';
import type { AppConfig } from '../config/config.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import type { Logger } from '../observability/logger.js';
import { isOperatorEmail, issueOperatorSession } from './operator-session.js';
import { exchangeCodeForThisApp } from '../install/exchange-code.js';

export const CONSOLE_PATH = '/console';
/** Where the console's sign-in says an account is not one of the operators. */
export const NOT_AN_OPERATOR_PATH = `${CONSOLE_PATH}?signIn=not-an-operator`;

export async function completeOperatorSignIn(
  deps: { config: Pick<AppConfig, 'HUBSPOT_APP_ID' | 'OPERATOR_EMAILS' | 'DEMO_MODE' | 'SESSION_SECRET' | 'publicUrl'>; hubspot: Pick<HubSpot, 'oauth'>; logger: Logger },
  res: Response,
  { code, redirectUri }: { code: string; redirectUri: string },
): Promise<void> {
  const { info } = await exchangeCodeForThisApp(deps, { code, redirectUri });
  if (!isOperatorEmail(deps.config, info.userEmail)) {
    deps.logger.warn({ portalId: info.portalId, userId: info.userId }, 'console sign-in refused: not one of OPERATOR_EMAILS');
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, NOT_AN_OPERATOR_PATH);
    return;
  }
  deps.logger.info({ operator: info.userEmail }, 'operator signed in to the console');
  issueOperatorSession(res, deps.config, info.userEmail!);
  res.redirect(303, CONSOLE_PATH);
}
