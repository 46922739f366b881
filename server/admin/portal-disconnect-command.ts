// `npm run admin -- portals disconnect <portalId>` (dispatched from admin-commands.ts): ends the
// app's access to a portal — HubSpot revokes the refresh token, the portal is marked
// disconnected (install/disconnect-portal.ts). The only admin command that talks to HubSpot.
import { disconnectPortal } from '../install/disconnect-portal.js';
import type { Dependencies } from '../runtime/dependencies.js';

export const PORTAL_DISCONNECT_USAGE = `  portals disconnect <portalId>               revoke the app's access at HubSpot and stop syncing the portal
                                              (installing the app again reconnects it)`;

export async function runPortalDisconnect(deps: Pick<Dependencies, 'db' | 'hubspot'>, portalId: number, actor: string, print: (line: string) => void): Promise<void> {
  const { wasConnected } = await disconnectPortal(deps, { portalId, actor });
  print(
    wasConnected
      ? `Portal ${portalId} disconnected: HubSpot revoked the app's refresh token; nothing more is sent to HubSpot for it.`
      : `Portal ${portalId} was already disconnected; its refresh token is revoked at HubSpot.`,
  );
}
