// Automatic registration end to end: contacts created in the HubSpot fake (no added latency)
// become webhooks to the real server, the real workers register them and write the outcome
// back to HubSpot. Rate = registrations written back per second, from the first contact
// created to the last status written. Baseline in the same run: the register use case called
// directly, as many registrations, 16 callers.
//
// 40 portals × 250 contacts (10,000): 2,000 contacts were written back in under a second, so the
// run measured its own ramp (the first jobs wait for contacts still being created) and the
// 50 ms polling as much as the throughput (2,016-2,339/s at that size, 2,163-2,632/s at 15,000,
// on an idle machine, 2026-11-25).
import { Redis } from 'ioredis';
import { dropRedisPrefix } from './bench-redis.js';
import { loadConfig } from '../server/config/config.js';
import { createDatabase } from '../server/db/client.js';
import { APP_PROPERTIES } from '../server/hubspot/app-properties.js';
import { createHubSpot } from '../server/hubspot/hubspot.js';
import { ensureAppProperties } from '../server/install/ensure-app-properties.js';
import { createLogger } from '../server/observability/logger.js';
import { ensurePortal } from '../server/portals/ensure-portal.js';
import { registerContact } from '../server/registrations/register-contact.js';
import { startHubSpotFake } from '../test/hubspot-fake/index.js';
import { freePort } from '../test/support/server.js';
import { peakRssMb } from './peak-rss.js';
import { elapsedMs, fixed } from './stats.js';
import { CLIENT_SECRET, startTarget } from './webhook-ingest.bench.js';

const APP_ID = 3_777_001;
const CLIENT_ID = 'bench-client-id';

export interface AutomaticRegistrationResult {
  portals: number;
  registrations: number;
  endToEndPerSecond: number;
  useCasePerSecond: number;
  /** Peak RSS of the one process running the server and the workers. */
  peakRssMb: number;
}

export async function benchAutomaticRegistration(databaseUrl: string, { portals = 40, contactsPerPortal = 250 } = {}): Promise<AutomaticRegistrationResult> {
  const fake = await startHubSpotFake();
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: `pc-bench-e2e-${Date.now()}`,
    HUBSPOT_API_BASE_URL: fake.url,
    HUBSPOT_CLIENT_ID: CLIENT_ID,
    HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
    HUBSPOT_APP_ID: String(APP_ID),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
  };
  const config = loadConfig(env);
  fake.apps.register({
    appId: APP_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${config.publicUrl}/oauth/callback`,
    scopes: config.HUBSPOT_SCOPES.split(' '),
    webhookUrl: `${config.publicUrl}/webhooks/hubspot`,
    subscriptions: [{ subscriptionType: 'contact.creation' }],
  });
  const db = createDatabase({ url: databaseUrl, poolSize: 16 });
  const redis = new Redis(config.REDIS_URL);
  const hubspot = createHubSpot({ config, db, redis, logger: createLogger({ level: 'silent', name: 'bench' }) });
  const target = await startTarget('app+workers', env, port);
  try {
    const portalIds = Array.from({ length: portals }, (_, n) => 800_000 + n);
    for (const portalId of portalIds) {
      fake.accounts.create({ portalId });
      await ensurePortal(db, { portalId, tier: 'diamond', actor: 'bench' });
      await db.portal.update({ where: { id: BigInt(portalId) }, data: { autoRegisterNewContacts: true } });
      const tokens = fake.installs.install(APP_ID, portalId);
      await hubspot.installs.save(
        portalId,
        { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in },
        { hubDomain: null, installedBy: 'bench', scopes: tokens.scopes },
      );
      await ensureAppProperties(hubspot.api.forPortal(portalId, 'interactive'));
    }
    const total = portals * contactsPerPortal;
    const started = process.hrtime.bigint();
    const created = portalIds.flatMap((portalId) =>
      Array.from({ length: contactsPerPortal }, (_, n) => ({
        portalId,
        id: fake.contacts.create(portalId, { email: `e2e${n}@p${portalId}-${n}.com`, website: `p${portalId}-${n}.com` }).id,
      })),
    );
    const phases: Record<string, number> = {};
    for (;;) {
      if (process.env.BENCH_DEBUG) {
        const [stored, processed, registered] = await Promise.all([
          db.webhookEvent.count({ where: { portalId: { in: portalIds.map(BigInt) } } }),
          db.webhookEvent.count({ where: { portalId: { in: portalIds.map(BigInt) }, processedAt: { not: null } } }),
          db.registration.count({ where: { portalId: { in: portalIds.map(BigInt) } } }),
        ]);
        for (const [name, value] of Object.entries({ stored, processed, registered })) if (value === total && !phases[name]) phases[name] = elapsedMs(started);
      }
      const done = created.filter(({ portalId, id }) => fake.contacts.get(portalId, id)?.properties[APP_PROPERTIES.status] === 'registered').length;
      if (done === total) break;
      if (elapsedMs(started) > 300_000) throw new Error(`only ${done} of ${total} registrations written back after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const endToEndMs = elapsedMs(started);
    if (process.env.BENCH_DEBUG) console.log({ ...phases, writtenBack: endToEndMs });

    // Baseline: the use case alone, same number of registrations, 16 callers, fresh portals.
    const baselinePortals = portalIds.map((portalId) => portalId + 100_000);
    for (const portalId of baselinePortals) await ensurePortal(db, { portalId, tier: 'diamond', actor: 'bench' });
    let next = 0;
    const baselineStart = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          const index = next;
          next += 1;
          const portalId = baselinePortals[index % portals]!;
          await registerContact(db, { portalId, contact: { contactId: String(index), website: `b${portalId}-${index}.com` }, registeredBy: 'bench', channel: 'automatic' });
        }
      }),
    );
    const useCaseMs = elapsedMs(baselineStart);
    return {
      portals,
      registrations: total,
      endToEndPerSecond: (total / endToEndMs) * 1000,
      useCasePerSecond: (total / useCaseMs) * 1000,
      peakRssMb: peakRssMb(target.process.pid),
    };
  } finally {
    target.process.kill('SIGTERM');
    await fake.stop();
    redis.disconnect();
    await db.$disconnect();
    await dropRedisPrefix(env.REDIS_KEY_PREFIX);
  }
}

export function automaticRegistrationRows(result: AutomaticRegistrationResult) {
  return [
    {
      portals: result.portals,
      registrations: result.registrations,
      'end to end /s': fixed(result.endToEndPerSecond, 0),
      'use case alone /s': fixed(result.useCasePerSecond, 0),
      'end to end / use case': fixed(result.endToEndPerSecond / result.useCasePerSecond),
      'server+workers peak RSS MB': fixed(result.peakRssMb, 0),
    },
  ];
}
