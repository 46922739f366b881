// The app on a Redis Cluster (REDIS_CLUSTER=true, REDIS_KEY_PREFIX a hash tag): BullMQ's queues,
// the shared HubSpot rate limiter's Lua scripts, the sweeper's lock and the OAuth state keys all
// run on a real three-node cluster of the test's own, end to end.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config/config.js';
import { requestDeregistration } from '../server/deregistrations/request-deregistration.js';
import { getDeregistrationJob } from '../server/deregistrations/get-deregistration-job.js';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { updatePortalSettings } from '../server/portals/change-portal.js';
import { startAppRig, type AppRig } from './support/app-rig.js';
import { startDeregistrationRig } from './support/deregistration-rig.js';
import { startOwnRedisCluster, type OwnRedisCluster } from './support/redis-cluster.js';

const POLL = { timeout: 30_000, interval: 100 };
let cluster: OwnRedisCluster;
let clusterEnv: Record<string, string>;

beforeAll(async () => {
  cluster = await startOwnRedisCluster();
  clusterEnv = { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', REDIS_KEY_PREFIX: `{pc-cluster-${randomBytes(4).toString('hex')}}` };
}, 60_000);
afterAll(() => cluster?.stop());

describe('on a Redis Cluster', () => {
  it('refuses a key prefix without a hash tag, naming the variable and the fix', () => {
    expect(() => loadConfig({ REDIS_CLUSTER: 'true', REDIS_KEY_PREFIX: 'pc' })).toThrow(
      /REDIS_KEY_PREFIX: on a Redis Cluster \(REDIS_CLUSTER=true\) it must start with a hash tag, like \{pc\}/,
    );
  });

  it('registers a contact from a webhook and writes the outcome back', async () => {
    let app: AppRig | undefined;
    try {
      app = await startAppRig({ env: clusterEnv });
      const portalId = await app.installPortal();
      await updatePortalSettings(app.db, { portalId, settings: { autoRegisterNewContacts: true }, actor: 'test' });
      const contact = app.fake.contacts.create(portalId, { email: 'ada@cluster-acme.com', website: 'https://cluster-acme.com', company: 'Acme' });
      await expect.poll(() => app!.fake.contacts.get(portalId, contact.id)?.properties[APP_PROPERTIES.status], POLL).toBe('registered');
      expect(await app.db.registration.count({ where: { portalId: BigInt(portalId), domain: 'cluster-acme.com', status: 'active' } })).toBe(1);
    } finally {
      await app?.stopAll();
    }
  });

  it('runs a bulk deregistration job to the end', async () => {
    const rig = await startDeregistrationRig({ env: clusterEnv });
    try {
      const portal = await rig.portalWithRegistrations(250);
      const { job } = await requestDeregistration(rig, { portalId: portal.portalId, selection: { kind: 'all' }, requestedBy: 'ops@agency.example', channel: 'operator' });
      await rig.startWorkers({ all: true });
      await expect.poll(async () => (await getDeregistrationJob(rig.db, { portalId: portal.portalId, jobId: job.id }))?.status, POLL).toBe('completed');
      expect(await rig.db.registration.count({ where: { portalId: BigInt(portal.portalId), status: 'active' } })).toBe(0);
    } finally {
      await rig.stop();
    }
  });
});
