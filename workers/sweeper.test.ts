// The sweeper of a running worker process deletes spent tokens once they have expired anyway,
// and keeps the ones still in force.
import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { spendToken } from '../server/capacity-manager/spent-tokens.js';
import { loadConfig } from '../server/config/config.js';
import { createLogger } from '../server/observability/logger.js';
import { testDatabase } from '../test/support/database.js';
import { testEnvironment } from '../test/support/server.js';
import { startWorkers } from './start-workers.js';
import { sweeper } from './sweeper.js';

const db = testDatabase(2);
afterAll(() => db.$disconnect());

test('deletes expired spent tokens and keeps those still in force', async () => {
  const config = loadConfig(testEnvironment({ WEBHOOK_SWEEP_AFTER_MS: '1000' }));
  const expired = `expired-${randomBytes(12).toString('base64url')}`;
  const inForce = `in-force-${randomBytes(12).toString('base64url')}`;
  await spendToken(db, 'signed_out_session', expired, Date.now() - 1000);
  await spendToken(db, 'signed_out_session', inForce, Date.now() + 60_000);
  const workers = await startWorkers({ config, databaseUrl: config.DATABASE_URL!, logger: createLogger({ level: 'silent', name: 'test-sweeper' }), workers: [sweeper] });
  try {
    const present = async (tokenId: string) => (await db.spentToken.count({ where: { kind: 'signed_out_session', tokenId } })) === 1;
    await expect.poll(() => present(expired), { timeout: 10_000, interval: 100 }).toBe(false);
    expect(await present(inForce)).toBe(true);
  } finally {
    await workers.close();
  }
});
