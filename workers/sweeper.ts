// A periodic task in every worker process: re-queues what PostgreSQL still holds to do
// (server/webhooks/sweep-inbox.ts; the waitlists of released domains, server/waitlist/) and
// deletes spent tokens that have expired anyway (server/capacity-manager/spent-tokens.ts). A
// Redis lock lets one process sweep per period however many run.
import { deleteExpiredSpentTokens } from '../server/capacity-manager/spent-tokens.js';
import { countSweeperRecoveries } from '../server/observability/metrics.js';
import { hasWaitlistsToServe } from '../server/waitlist/serve-waitlists.js';
import { enqueueWaitlistServe } from '../server/waitlist/waitlist-queue.js';
import { sweepPendingWork } from '../server/webhooks/sweep-inbox.js';
import type { WorkerFactory } from './worker-context.js';

export const sweeper: WorkerFactory = (context) => {
  const periodMs = Math.max(1000, Math.floor(context.config.WEBHOOK_SWEEP_AFTER_MS / 2));
  const lockKey = `${context.config.REDIS_KEY_PREFIX}:sweeper-lock`;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= (async () => {
      try {
        if (!(await context.redis.set(lockKey, String(process.pid), 'PX', periodMs - 100, 'NX'))) return;
        const report = await sweepPendingWork(context, { olderThanMs: context.config.WEBHOOK_SWEEP_AFTER_MS });
        countSweeperRecoveries({ webhook_events: report.events, write_back_portals: report.writeBackPortals, backfills: report.backfills });
        if (report.events || report.writeBackPortals || report.backfills) context.logger.info(report, 'sweeper re-queued pending work');
        // Released domains whose serve Redis lost (or a worker died in): their waitlists are served again.
        if (await hasWaitlistsToServe(context.db, context.queues.prefix)) await enqueueWaitlistServe(context.queues);
        const expiredTokens = await deleteExpiredSpentTokens(context.db);
        if (expiredTokens) context.logger.debug({ expiredTokens }, 'sweeper deleted expired spent tokens');
      } catch (error) {
        context.logger.warn({ err: error }, 'sweep failed; trying again next period');
      } finally {
        running = undefined;
      }
    })();
  }, periodMs);
  return {
    name: 'sweeper',
    async close() {
      clearInterval(timer);
      await running;
    },
  };
};
