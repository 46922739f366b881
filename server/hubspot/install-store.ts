// A portal's OAuth install: its tokens, encrypted at rest, and fresh access tokens on demand.
//
// Access tokens live about 30 minutes (HubSpot's expires_in, always read). A token is refreshed
// shortly before it expires, or when HubSpot rejects it with 401, and only once even when
// several processes need a fresh one at the same moment: the refresh runs under a Redis lock,
// and whoever waited for the lock reads the token the winner stored. A refresh token HubSpot
// refuses means the install is gone (uninstalled or revoked): the portal is marked
// disconnected and callers get HubSpotDisconnectedError instead of retrying forever.
// Disconnecting a portal on purpose revokes its refresh token at HubSpot first, so the app
// holds no working grant for an account it no longer serves.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import type { Logger } from '../observability/logger.js';
import type { Redis } from '../queue/redis.js';
import { HubSpotDisconnectedError } from './hubspot-errors.js';
import { OAuthGrantRejectedError, type OAuthClient, type OAuthTokens } from './oauth-client.js';
import type { TokenCipher } from './token-cipher.js';

/** Refresh this long before HubSpot's expiry, so no call starts with a token about to die. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const LOCK_TTL_MS = 20_000;
const LOCK_POLL_MS = 50;

export interface InstallStoreDeps {
  db: Database;
  redis: Redis;
  keyPrefix: string;
  cipher: TokenCipher;
  oauth: OAuthClient;
  logger: Logger;
}

export interface InstallDetails {
  hubDomain: string | null;
  installedBy: string | null;
  scopes: string[];
}

export interface InstallStore {
  /** Stores (or replaces) the portal's tokens after the OAuth code exchange; the portal is connected again. */
  save(portalId: number, tokens: OAuthTokens, details: InstallDetails): Promise<void>;
  /** A valid access token for the portal, refreshed first when it is about to expire. */
  accessToken(portalId: number): Promise<string>;
  /** HubSpot answered 401 to `rejectedToken`: a fresh token, refreshed once for everyone. */
  refreshAfterRejection(portalId: number, rejectedToken: string): Promise<string>;
  /**
   * Revokes the portal's refresh token at HubSpot and marks the install gone; nothing more is
   * sent to HubSpot for the portal. A refresh token HubSpot already refuses is not an error.
   * Throws HubSpotUnavailableError (nothing changed) when HubSpot cannot be reached.
   */
  disconnect(portalId: number, reason: string): Promise<void>;
}

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function createInstallStore({ db, redis, keyPrefix, cipher, oauth, logger }: InstallStoreDeps): InstallStore {
  const lockKey = (portalId: number) => `${keyPrefix}:token-refresh:${portalId}`;

  async function readInstall(portalId: number) {
    const portal = await db.portal.findUnique({ where: { id: BigInt(portalId) }, include: { install: true } });
    if (!portal?.install) throw new HubSpotDisconnectedError(portalId, 'the app is not installed');
    if (portal.installState === 'disconnected') throw new HubSpotDisconnectedError(portalId, 'the install was revoked');
    return {
      accessToken: cipher.decrypt(portal.install.accessToken),
      refreshToken: cipher.decrypt(portal.install.refreshToken),
      expiresAt: portal.install.accessTokenExpiresAt.getTime(),
    };
  }

  async function storeRefreshed(portalId: number, tokens: OAuthTokens): Promise<void> {
    await db.hubSpotInstall.update({
      where: { portalId: BigInt(portalId) },
      data: {
        // Re-encrypting with the current key is what lets old keys retire.
        accessToken: cipher.encrypt(tokens.accessToken),
        refreshToken: cipher.encrypt(tokens.refreshToken),
        accessTokenExpiresAt: new Date(Date.now() + tokens.expiresIn * 1000),
        updatedAt: new Date(),
      },
    });
  }

  /** Refreshes unless `stillNeeded` says another process already did; returns the token in force. */
  async function refreshOnce(portalId: number, stillNeeded: (install: Awaited<ReturnType<typeof readInstall>>) => boolean): Promise<string> {
    const owner = randomUUID();
    const deadline = Date.now() + LOCK_TTL_MS * 2;
    for (;;) {
      const acquired = await redis.set(lockKey(portalId), owner, 'PX', LOCK_TTL_MS, 'NX');
      if (acquired) break;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the token refresh of portal ${portalId}.`);
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      const install = await readInstall(portalId);
      if (!stillNeeded(install)) return install.accessToken;
      let tokens: OAuthTokens;
      try {
        tokens = await oauth.refresh(install.refreshToken);
      } catch (error) {
        if (error instanceof OAuthGrantRejectedError) {
          await markDisconnected(portalId, error.message);
          throw new HubSpotDisconnectedError(portalId, 'HubSpot refused the refresh token');
        }
        throw error;
      }
      await storeRefreshed(portalId, tokens);
      logger.info({ portalId }, 'hubspot access token refreshed');
      return tokens.accessToken;
    } finally {
      await redis.eval(RELEASE_LOCK, 1, lockKey(portalId), owner);
    }
  }

  async function markDisconnected(portalId: number, reason: string): Promise<void> {
    await db.portal.updateMany({ where: { id: BigInt(portalId) }, data: { installState: 'disconnected', updatedAt: new Date() } });
    logger.warn({ portalId, reason }, 'hubspot install disconnected');
  }

  return {
    async save(portalId, tokens, details) {
      const id = BigInt(portalId);
      const data = {
        accessToken: cipher.encrypt(tokens.accessToken),
        refreshToken: cipher.encrypt(tokens.refreshToken),
        accessTokenExpiresAt: new Date(Date.now() + tokens.expiresIn * 1000),
        scopes: details.scopes,
        hubDomain: details.hubDomain,
        installedBy: details.installedBy,
        updatedAt: new Date(),
      };
      await db.$transaction([
        db.hubSpotInstall.upsert({ where: { portalId: id }, create: { portalId: id, ...data }, update: { ...data, installedAt: new Date() } }),
        db.portal.update({ where: { id }, data: { installState: 'installed', updatedAt: new Date() } }),
      ]);
    },

    async accessToken(portalId) {
      const install = await readInstall(portalId);
      if (install.expiresAt - Date.now() > REFRESH_MARGIN_MS) return install.accessToken;
      return refreshOnce(portalId, (current) => current.expiresAt - Date.now() <= REFRESH_MARGIN_MS);
    },

    refreshAfterRejection(portalId, rejectedToken) {
      return refreshOnce(portalId, (current) => current.accessToken === rejectedToken);
    },

    async disconnect(portalId, reason) {
      const install = await db.hubSpotInstall.findUnique({ where: { portalId: BigInt(portalId) } });
      if (install) {
        try {
          await oauth.revokeRefreshToken(cipher.decrypt(install.refreshToken));
        } catch (error) {
          // Already refused (uninstalled, revoked before): what revoking would achieve is done.
          if (!(error instanceof OAuthGrantRejectedError)) throw error;
        }
      }
      await markDisconnected(portalId, reason);
    },
  };
}
