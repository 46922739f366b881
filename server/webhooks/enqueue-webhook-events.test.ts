import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createQueues, type AppQueues } from '../queue/queues.js';
import { createRedis } from '../queue/redis.js';
import { webhookEventsQueuer, type WebhookEventsJob } from './enqueue-webhook-events.js';

describe('webhookEventsQueuer (the receiver queuing what it stored)', () => {
  let connection: ReturnType<typeof createRedis>;
  let queues: AppQueues;
  beforeAll(() => {
    connection = createRedis({ url: inject('redisUrl'), forQueues: true });
    queues = createQueues({ connection, prefix: `${inject('redisPrefix')}-queuer-${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await queues.webhookEvents.obliterate({ force: true });
    await queues.close();
    connection.disconnect();
  });

  it('queues the batches stored in one turn in one add to Redis, one job per batch, and none when nothing is new', async () => {
    const warnings: unknown[] = [];
    const queueStored = webhookEventsQueuer(queues, { warn: (details: unknown) => warnings.push(details) });
    const addBulk = queues.webhookEvents.addBulk.bind(queues.webhookEvents);
    const adds: number[] = [];
    queues.webhookEvents.addBulk = (jobs) => {
      adds.push(jobs.length);
      return addBulk(jobs);
    };

    queueStored(['1', '2', '3']);
    queueStored([]);
    queueStored(['4']);
    queueStored(['5', '6']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    queueStored(['7']);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(adds).toEqual([3, 1]);
    const jobs = await queues.webhookEvents.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((job) => (job.data as WebhookEventsJob).eventIds).sort()).toEqual([['1', '2', '3'], ['4'], ['5', '6'], ['7']]);
    expect(jobs.map((job) => job.opts.deduplication?.id).sort()).toEqual(['inbox-1', 'inbox-4', 'inbox-5', 'inbox-7']);
    expect(warnings).toEqual([]);
  });
});
