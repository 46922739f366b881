// Queue `deregistrations`: each job is one step of a bulk deregistration job
// (server/deregistrations/run-deregistration-step.ts): a time slice of chunks, then the next
// step goes to the back of the queue, so that jobs take turns.
//
// - Jobs of different portals run in parallel (WORKER_CONCURRENCY steps per process); steps of
//   one portal take turns (portal-turn.ts): a step whose portal is busy is handed over,
//   delayed, instead of waiting on the portal's rate limit in a worker slot.
// - A failing step is retried by BullMQ with exponential backoff; after its last attempt the job
//   is recorded as failed with the reason, and stays visible so. A failure retrying cannot fix
//   (the step's data does not validate, an application error of kind invalid, forbidden or
//   not found) records the job failed at once (job-failures.ts).
// - A worker that dies mid-step loses its lock; BullMQ hands the step to another worker after
//   JOB_LOCK_MS, and the job resumes at its first unfinished chunk.
// - On SIGTERM the steps in hand finish their current chunks and hand the job over.
// - A periodic sweep puts back jobs that PostgreSQL holds as unfinished but the queue lost.
import { Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { DeregistrationStepData } from '../server/deregistrations/deregistration-queue.js';
import { portalTurns } from '../server/deregistrations/portal-turn.js';
import { handOver, markDeregistrationJobFailed, runDeregistrationStep } from '../server/deregistrations/run-deregistration-step.js';
import { sweepDeregistrationJobs } from '../server/deregistrations/sweep-deregistration-jobs.js';
import { countSweeperRecoveries } from '../server/observability/metrics.js';
import { QUEUE_NAMES } from '../server/queue/queues.js';
import { jobProcessor } from './job-failures.js';
import { workerOptions, type WorkerContext, type WorkerFactory } from './worker-context.js';

const deregistrationStepData: z.ZodType<DeregistrationStepData> = z.object({ deregistrationJobId: z.uuid(), portalId: z.number().int().positive() });

/** How long a step whose portal is busy waits before asking again. */
const PORTAL_BUSY_DELAY_MS = 250;

export const deregistrationsWorker: WorkerFactory = (context) => {
  let stopping = false;
  const turns = portalTurns({ redis: context.redis, keyPrefix: context.config.REDIS_KEY_PREFIX, ttlMs: context.config.JOB_LOCK_MS });
  const deps = { db: context.db, api: context.hubspot.api, queues: context.queues, logger: context.logger };

  const worker = new Worker(
    QUEUE_NAMES.deregistrations,
    jobProcessor({
      data: deregistrationStepData,
      recordFailure: ({ deregistrationJobId }, reason, job) => markDeregistrationJobFailed(context.db, { deregistrationJobId, queueJobId: job.id!, error: reason }).then(() => {}),
      process: async ({ deregistrationJobId, portalId }, job) => {
        const step = { deregistrationJobId, portalId, queueJobId: job.id! };
        const turn = await turns.take(step.portalId);
        if (!turn) {
          await handOver(deps, { ...step, delayMs: PORTAL_BUSY_DELAY_MS });
          return 'portal-busy';
        }
        try {
          return await runDeregistrationStep(deps, { ...step, shouldStop: () => stopping });
        } catch (error) {
          if (isLastAttempt(job)) {
            await markDeregistrationJobFailed(context.db, { ...step, error: `The job stopped after ${job.attemptsMade + 1} attempts: ${(error as Error).message}` });
          }
          throw error;
        } finally {
          await turn.release();
        }
      },
    }),
    workerOptions(context),
  );
  worker.on('failed', (job, error) => context.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'deregistration step failed'));
  worker.on('error', (error) => context.logger.warn({ err: error }, 'deregistrations worker error'));

  const sweeper = startSweeper(context);
  return {
    name: 'deregistrations',
    async close() {
      stopping = true;
      await sweeper.close();
      await worker.close();
    },
  };
};

function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

function startSweeper(context: WorkerContext): { close(): Promise<void> } {
  const staleAfterMs = context.config.DEREGISTRATION_SWEEP_AFTER_MS;
  let running: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      running ??= sweepDeregistrationJobs(context, { staleAfterMs })
        .then(
          (report) => countSweeperRecoveries({ deregistration_jobs: report.requeued.length }),
          (error) => context.logger.warn({ err: error }, 'deregistration sweep failed; trying again next period'),
        )
        .finally(() => {
          running = undefined;
        });
    },
    Math.max(100, Math.floor(staleAfterMs / 2)),
  );
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
