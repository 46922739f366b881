// Disconnects a portal on the operator's word (the partner left the program, or asked for the
// app's access to end): HubSpot revokes the app's refresh token (POST /oauth/2026-03/token/revoke,
// see hubspot/oauth-client.ts) and the portal is marked disconnected, so nothing more is sent to
// HubSpot for it and its card says the app is not connected. Its registrations stay as they are.
// Installing the app again connects it again.
import type { Database } from '../db/client.js';
import type { HubSpot } from '../hubspot/hubspot.js';
import { PortalNotFoundError } from '../portals/change-portal.js';

export interface DisconnectPortalInput {
  portalId: number;
  /** Who asked, for the log. */
  actor: string;
}

/** Returns whether the portal was connected before. Throws HubSpotUnavailableError (nothing changed) when HubSpot cannot be reached. */
export async function disconnectPortal(deps: { db: Database; hubspot: Pick<HubSpot, 'installs'> }, { portalId, actor }: DisconnectPortalInput): Promise<{ wasConnected: boolean }> {
  const portal = await deps.db.portal.findUnique({ where: { id: BigInt(portalId) }, select: { installState: true } });
  if (!portal) throw new PortalNotFoundError(portalId);
  await deps.hubspot.installs.disconnect(portalId, `disconnected by ${actor}`);
  return { wasConnected: portal.installState === 'installed' };
}
