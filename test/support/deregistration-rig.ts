// What the deregistration job tests share: the HubSpot fake, the app's database and Redis under
// a key prefix of the test file's own (so no other file's workers take its jobs), queues, and
// portals installed in both with registrations whose contacts exist in the fake.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { AppConfig } from '../../server/config/config.js';
import type { Database } from '../../server/db/client.js';
import { APP_PROPERTIES } from '../../server/hubspot/app-properties.js';
import { createHubSpot, type HubSpot } from '../../server/hubspot/hubspot.js';
import { createLogger } from '../../server/observability/logger.js';
import { createQueues, type AppQueues } from '../../server/queue/queues.js';
import { createRedis } from '../../server/queue/redis.js';
import { WORKERS } from '../../workers/all-workers.js';
import { deregistrationsWorker } from '../../workers/deregistrations.js';
import { startWorkers, type RunningWorkers } from '../../workers/start-workers.js';
import type { HubSpotFakeOptions } from '../hubspot-fake/index.js';
import { testDatabase } from './database.js';
import { installedPortal, startHubSpotRig, type HubSpotTestRig } from './hubspot.js';

export interface PortalWithRegistrations {
  portalId: number;
  registrationIds: string[];
  contactIds: string[];
  domains: string[];
}

export interface DeregistrationRig {
  hubspotRig: HubSpotTestRig;
  config: AppConfig;
  /** The environment a worker process of this rig runs with. */
  env: Record<string, string>;
  db: Database;
  hubspot: HubSpot;
  queues: AppQueues;
  portalWithRegistrations(count: number, options?: { limitOverride?: number; tier?: 'gold' | 'diamond' }): Promise<PortalWithRegistrations>;
  /** The deregistration worker (or, with `all`, every worker) in this process, as a worker process runs it. */
  startWorkers(options?: { all?: boolean }): Promise<RunningWorkers>;
  stop(): Promise<void>;
}

export async function startDeregistrationRig({ fake = {}, env = {} }: { fake?: HubSpotFakeOptions; env?: Record<string, string> } = {}): Promise<DeregistrationRig> {
  const prefix = `${inject('redisPrefix')}-dj-${randomBytes(4).toString('hex')}`;
  const hubspotRig = await startHubSpotRig(fake, { REDIS_KEY_PREFIX: prefix, ...env });
  const config = hubspotRig.config;
  const db = testDatabase();
  const redis = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER });
  const queueConnection = createRedis({ url: config.REDIS_URL, cluster: config.REDIS_CLUSTER, forQueues: true });
  for (const connection of [redis, queueConnection]) connection.on('error', () => {});
  const queues = createQueues({ connection: queueConnection, prefix: config.REDIS_KEY_PREFIX });
  const hubspot = createHubSpot({ config, db, redis, logger: createLogger({ level: 'silent', name: 'test' }), backoffBaseMs: 5 });
  const running: RunningWorkers[] = [];
  const portals: bigint[] = [];

  return {
    hubspotRig,
    config,
    env: hubspotRig.env,
    db,
    hubspot,
    queues,
    async portalWithRegistrations(count, { limitOverride, tier = 'diamond' } = {}) {
      const portalId = await installedPortal(hubspotRig, db, hubspot, { tier });
      portals.push(BigInt(portalId));
      if (limitOverride !== undefined || count > 1000) {
        await db.portal.update({ where: { id: BigInt(portalId) }, data: { limitOverride: limitOverride ?? count } });
      }
      const domains = Array.from({ length: count }, (_, n) => `d${n}-p${portalId}.com`);
      const contacts = hubspotRig.fake.contacts.seed(
        portalId,
        domains.map((domain, n) => ({
          email: `c${n}@${domain}`,
          website: `https://www.${domain}/`,
          [APP_PROPERTIES.trigger]: 'true',
          [APP_PROPERTIES.status]: 'registered',
          [APP_PROPERTIES.registeredDomain]: domain,
          [APP_PROPERTIES.registeredAt]: '2026-01-01T00:00:00.000Z',
          [APP_PROPERTIES.refusalReason]: '',
        })),
      );
      const contactIds = contacts.map((contact) => contact.id);
      // Arrangement, not behaviour under test: the registrations written directly, in domain order.
      const rows = await db.$queryRaw<{ id: string }[]>`
        INSERT INTO registrations (portal_id, domain, website, contact_id, search_text, registered_by, channel, registered_at)
        SELECT ${BigInt(portalId)}, item.domain, 'https://www.' || item.domain || '/', item.contact_id, item.domain, 'test', 'card',
               now() - interval '1 day' + item.n * interval '1 millisecond'
        FROM unnest(${domains}::text[], ${contactIds}::text[]) WITH ORDINALITY AS item(domain, contact_id, n)
        ORDER BY item.n
        RETURNING id::text`;
      return { portalId, registrationIds: rows.map((row) => row.id), contactIds, domains };
    },
    async startWorkers({ all = false } = {}) {
      const workers = await startWorkers({
        config,
        databaseUrl: config.DATABASE_URL!,
        logger: createLogger({ level: 'silent', name: 'test-workers' }),
        workers: all ? WORKERS : [deregistrationsWorker],
      });
      running.push(workers);
      return workers;
    },
    async stop() {
      await Promise.all(running.map((workers) => workers.close()));
      // Jobs a test left unfinished on purpose must not be swept later by another test file's
      // workers (they share the run's database, not its Redis prefix).
      if (portals.length) await db.$executeRaw`DELETE FROM deregistration_jobs WHERE portal_id = ANY(${portals}::bigint[]) AND finished_at IS NULL`;
      await queues.close();
      await Promise.allSettled([redis.quit(), queueConnection.quit()]);
      await db.$disconnect();
      await hubspotRig.stop();
    },
  };
}

/** The status property of each contact as the fake holds it now. */
export function contactStatuses(rig: DeregistrationRig, portalId: number, contactIds: string[]): Array<string | undefined> {
  return contactIds.map((id) => rig.hubspotRig.fake.contacts.get(portalId, id)?.properties[APP_PROPERTIES.status]);
}

/** How many deregistration audit rows each registration has. */
export async function deregistrationAuditCounts(db: Database, portalId: number): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ registration_id: string; n: number }[]>`
    SELECT registration_id::text, count(*)::int AS n FROM audit_events
    WHERE portal_id = ${BigInt(portalId)} AND action = 'registration_deregistered' GROUP BY registration_id`;
  return new Map(rows.map((row) => [row.registration_id, row.n]));
}
