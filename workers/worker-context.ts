// What every worker gets: the process's dependencies (server/runtime/dependencies.ts), opened
// once per process with the worker role (queue connections that wait through Redis outages).
import type { WorkerOptions } from 'bullmq';
import type { Dependencies } from '../server/runtime/dependencies.js';

export type WorkerContext = Dependencies;

/** A started worker (or a periodic task): closing it lets the job in hand finish. */
export interface RunningWorker {
  name: string;
  close(): Promise<void>;
}

export type WorkerFactory = (context: WorkerContext) => RunningWorker | Promise<RunningWorker>;

/**
 * BullMQ options every worker shares. A job whose worker stops renewing its lock (the process
 * died) is taken over by another after JOB_LOCK_MS; jobs are safe to run twice.
 */
export function workerOptions(context: Pick<WorkerContext, 'config' | 'queueConnection'>): WorkerOptions {
  return {
    connection: context.queueConnection,
    prefix: context.config.REDIS_KEY_PREFIX,
    concurrency: context.config.WORKER_CONCURRENCY,
    lockDuration: context.config.JOB_LOCK_MS,
    stalledInterval: context.config.JOB_LOCK_MS,
    maxStalledCount: 5,
  };
}
