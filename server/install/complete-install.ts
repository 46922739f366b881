// Completes an OAuth install (or a sign-in through HubSpot, which is the same flow): exchanges
// the code, learns the portal and user from HubSpot, stores the tokens encrypted, creates the
// app's contact properties (idempotently), and starts the contact backfill.
import type { AppConfig } from '../config/config.js';
import { startContactBackfill } from '../contacts/backfill-contacts.js';
import type { Database } from '../db/client.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import { HubSpotRequestError, HubSpotUnavailableError } from '../hubspot/hubspot-errors.js';
import type { AppQueues } from '../queue/queues.js';
import { ensurePortal } from '../portals/ensure-portal.js';
import { setPortalAdmin } from '../portals/portal-roles.js';
import { ensureAppProperties } from './ensure-app-properties.js';
import { exchangeCodeForThisApp } from './exchange-code.js';

export interface CompletedInstall {
  portalId: number;
  userId: string;
  userEmail: string | null;
  hubDomain: string | null;
  newPortal: boolean;
}

export async function completeInstall(
  deps: { config: Pick<AppConfig, 'HUBSPOT_APP_ID'>; db: Database; hubspot: HubSpot; queues: Pick<AppQueues, 'contactBackfill' | 'prefix'> },
  { code, redirectUri }: { code: string; redirectUri: string },
): Promise<CompletedInstall> {
  const { tokens, info } = await exchangeCodeForThisApp(deps, { code, redirectUri });
  const { created } = await ensurePortal(deps.db, { portalId: info.portalId, name: info.hubDomain, tier: 'untiered', actor: info.userEmail ?? `user:${info.userId}` });
  await deps.hubspot.installs.save(info.portalId, tokens, { hubDomain: info.hubDomain, installedBy: info.userEmail, scopes: info.scopes });
  // The user whose consent created the portal installed the app: they are the partner's admin.
  // Later passes through OAuth (sign-ins, reinstalls) never change who it is; a portal known
  // before roles existed gets its admin from the operator (portals/portal-roles.ts says why).
  const userId = info.userId === null ? null : String(info.userId);
  if (created && (userId || info.userEmail)) await setPortalAdmin(deps.db, { portalId: info.portalId, userId, email: info.userEmail, actor: 'install' });

  const api = deps.hubspot.api.forPortal(info.portalId, 'interactive');
  await ensureAppProperties(api);
  // Where the account's HubSpot interface lives (EU accounts: app-eu1.hubspot.com), for links to
  // its records. Not worth failing an install over: without it links use app.hubspot.com, and
  // the next install or sign-in through HubSpot tries again.
  const uiDomain = await api.getUiDomain().catch((error: unknown) => {
    if (error instanceof HubSpotRequestError || error instanceof HubSpotUnavailableError) return null;
    throw error;
  });
  if (uiDomain) await deps.db.portal.update({ where: { id: BigInt(info.portalId) }, data: { uiDomain } });
  if (created) await startContactBackfill(deps, info.portalId);

  return { portalId: info.portalId, userId: String(info.userId ?? ''), userEmail: info.userEmail, hubDomain: info.hubDomain, newPortal: created };
}
