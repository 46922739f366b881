// Liveness and readiness for load balancers and orchestrators.
//
// /healthz: the process serves requests. /readyz: it can do its work, i.e. PostgreSQL and Redis
// answer within a second; while shutting down it answers 503 so traffic moves elsewhere.
import { Router } from 'express';
import type { Database } from '../db/client.js';
import type { Redis } from '../queue/redis.js';

const CHECK_TIMEOUT_MS = 1000;

async function check(name: string, probe: () => Promise<unknown>): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes({ db, redis, isShuttingDown }: { db: Database; redis: Redis; isShuttingDown: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([check('database', () => db.$queryRaw`SELECT 1`), check('redis', () => redis.ping())]);
    const ready = !isShuttingDown() && checks.every((result) => result.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : isShuttingDown() ? 'shutting down' : 'not ready', checks });
  });
  return router;
}
