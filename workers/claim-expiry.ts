// Queue `claim-expiry`: the scheduled run that ends expired claims and sends expiry reminders.
//
// - A BullMQ job scheduler (`claim-expiry-run`, every CLAIM_EXPIRY_EVERY_MS) puts one run on the
//   queue per period, however many worker processes start it (each upserts the same scheduler),
//   and one worker takes each run.
// - A run: expireClaims (one deregistration job per portal with expired claims, channel
//   `expiry`, which the deregistrations worker then runs), then recordDueReminders, then one
//   `expiry-reminders` job per portal with reminders to send (deterministic id: a portal's job
//   is on the queue once at a time).
// - Everything a run does is recorded in PostgreSQL before it is acted on and is safe to repeat
//   (server/expiry/): a run killed mid-way (SIGKILL) is taken over by another worker once its
//   lock lapses (JOB_LOCK_MS) or done by the next period, and ends no claim twice.
import { Worker } from 'bullmq';
import { z } from 'zod';
import { expireClaims } from '../server/expiry/expire-claims.js';
import { recordDueReminders, sendExpiryReminders } from '../server/expiry/expiry-reminders.js';
import { getProgramSettings } from '../server/program/program-settings.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { jobProcessor } from './job-failures.js';
import { workerOptions, type WorkerFactory } from './worker-context.js';

export const EXPIRY_RUN_SCHEDULER = 'claim-expiry-run';
export const EXPIRY_REMINDERS_JOB = 'expiry-reminders';

const jobData = z.union([z.object({ portalId: z.number().int().positive() }), z.object({}).strict()]);

export const claimExpiryWorker: WorkerFactory = async (context) => {
  const { db, queues, logger } = context;
  await queues.claimExpiry.upsertJobScheduler(EXPIRY_RUN_SCHEDULER, { every: context.config.CLAIM_EXPIRY_EVERY_MS }, { name: EXPIRY_RUN_SCHEDULER, data: {} });

  const worker = new Worker(
    QUEUE_NAMES.claimExpiry,
    jobProcessor({
      data: jobData,
      process: async (data) => {
        const settings = await getProgramSettings(db);
        if ('portalId' in data) return sendExpiryReminders({ db, api: context.hubspot.api, logger }, { portalId: data.portalId, renewalsAllowed: settings.renewalsAllowed });
        const expired = await expireClaims({ db, queues });
        if (expired.claims > 0) logger.info(expired, 'claim expiry: deregistration jobs requested for expired claims');
        const portals = await recordDueReminders(db, { reminderDays: settings.reminderDays });
        await queues.claimExpiry.addBulk(
          portals.map((portalId) => ({
            name: EXPIRY_REMINDERS_JOB,
            data: { portalId },
            opts: { jobId: `${EXPIRY_REMINDERS_JOB}-${portalId}`, removeOnComplete: true, removeOnFail: true },
          })),
        );
        return { ...expired, reminderPortals: portals.length };
      },
    }),
    // One run at a time in a process: a run is a loop over every portal, not a unit of parallel work.
    { ...workerOptions(context), concurrency: 1 },
  );
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'claim expiry job failed'));
  worker.on('error', (error) => logger.warn({ err: error }, 'claim expiry worker error'));
  return {
    name: 'claim-expiry',
    close: () => worker.close(),
  };
};
