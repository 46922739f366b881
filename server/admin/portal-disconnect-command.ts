// `npm run admin -- portals disconnect <portalId>` (dispatched from admin-commands.ts): ends the
// app's access to a portal — HubSpot revokes the refresh token, the portal is marked
// disconnected (install/disconnect-portal.ts). The only admin command that talks to HubSpot, so it
// builds its own HubSpot client stack (and the Redis connection the token lock needs) and closes
// it when done.
import { loadConfig } from '../config/config.js';
import type { Database } from '../db/client.js';
import { createHubSpot } from '../hubspot/hubspot.js';
import { disconnectPortal } from '../install/disconnect-portal.js';
import { createLogger } from '../observability/logger.js';
import { createRedis } from '../queue/redis.js';

export const PORTAL_DISCONNECT_USAGE = `  portals disconnect <portalId>               revoke the app's access at HubSpot and stop syncing the portal
                                              (installing the app again reconnects it)`;

export async function runPortalDisconnect(db: Database, portalId: number, actor: string, print: (line: string) => void): Promise<void> {
  const config = loadConfig();
  const redis = createRedis({ url: config.REDIS_URL, connectionName: 'partner-capacity:admin' });
  try {
    const hubspot = createHubSpot({ config, db, redis, logger: createLogger({ level: 'warn', name: 'admin' }) });
    const { wasConnected } = await disconnectPortal({ db, hubspot }, { portalId, actor });
    print(
      wasConnected
        ? `Portal ${portalId} disconnected: HubSpot revoked the app's refresh token; nothing more is sent to HubSpot for it.`
        : `Portal ${portalId} was already disconnected; its refresh token is revoked at HubSpot.`,
    );
  } finally {
    await redis.quit();
  }
}
