// Webhook ingest: signed 100-event batches from a keep-alive load generator against the real
// receiver (signature check, validation, one inbox INSERT, one queue job per batch), against a
// bare Express endpoint that only parses the JSON (each in its own process), and the baseline:
// the same batches INSERTed into the inbox by PostgreSQL directly, measured in the same run.
// Each target process's peak RSS is read before it stops.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { baselinePool } from './bench-database.js';
import { signRequest } from '../test/hubspot-fake/index.js';
import { freePort } from '../test/support/server.js';
import { PRODUCTION_NODE_FLAGS, peakRssMb } from './peak-rss.js';
import { elapsedMs, fixed, percentile } from './stats.js';

const EVENTS_PER_BATCH = 100;
export const CLIENT_SECRET = 'bench-client-secret-0123456789';

export interface IngestResult {
  target: string;
  /** The baseline of the row, measured in the same run. */
  baseline: string;
  batches: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Peak RSS of the target's process over the whole run (none for the in-process baseline). */
  peakRssMb: number;
}

export async function startTarget(mode: 'app' | 'app+workers' | 'bare', env: Record<string, string>, port?: number): Promise<{ url: string; process: ChildProcess }> {
  port ??= await freePort();
  // BENCH_CPU_PROF=dir: the target writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, ...profile, '--import', 'tsx', 'bench/webhook-target.ts', mode], {
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
      LOG_LEVEL: 'silent',
      MIGRATE_ON_START: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (line.startsWith('LISTENING ')) return { url: line.slice('LISTENING '.length), process: child };
  throw new Error(`the ${mode} target did not start`);
}

function batches(count: number, firstEventId: number): string[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, batch) =>
    JSON.stringify(
      Array.from({ length: EVENTS_PER_BATCH }, (_, n) => {
        const eventId = firstEventId + batch * EVENTS_PER_BATCH + n;
        return {
          eventId,
          subscriptionId: 11,
          portalId: 700_000 + (batch % 50),
          appId: 1,
          occurredAt: now,
          subscriptionType: 'contact.propertyChange',
          attemptNumber: 0,
          objectId: eventId,
          changeSource: 'CRM_UI',
          propertyName: 'website',
          propertyValue: `site-${eventId}.com`,
        };
      }),
    ),
  );
}

type Send = (body: string) => Promise<boolean>;

/** Sends signed batches to the receiver at `url` over keep-alive connections; true on a 200. */
function httpSender(url: string, bodies: string[], concurrency: number): { send: Send; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/webhooks/hubspot', url);
  // Signed beforehand: signing is HubSpot's work, not the receiver's.
  const headers = new Map(
    bodies.map((body) => [
      body,
      {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...signRequest({ method: 'POST', url: target.toString(), body, clientSecret: CLIENT_SECRET }),
      },
    ]),
  );
  const send: Send = (body) =>
    new Promise<boolean>((resolve) => {
      const request = http.request(target, { method: 'POST', agent, headers: headers.get(body) }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200));
      });
      request.on('error', () => resolve(false));
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/**
 * The baseline: the same batches written straight into the inbox by PostgreSQL itself, one
 * INSERT per batch over as many connections as requests in flight, with the inbox's indexes and
 * duplicate check (ON CONFLICT DO NOTHING) but nothing else: no HTTP, no signature, no
 * validation, no queue, no rows returned.
 */
function rawInsertSender(databaseUrl: string, concurrency: number, queuePrefix: string): { send: Send; close(): Promise<void> } {
  const pool = baselinePool(databaseUrl, concurrency);
  const send: Send = (body) =>
    pool
      .query({
        // Prepared, as the receiver's insert is: the baseline is the best raw insert.
        name: 'raw-inbox-insert',
        text: `INSERT INTO webhook_events (portal_id, subscription_id, event_id, occurred_at, subscription_type, object_id, payload, queue_prefix)
         SELECT (event->>'portalId')::bigint, (event->>'subscriptionId')::bigint, (event->>'eventId')::bigint,
                to_timestamp((event->>'occurredAt')::bigint / 1000.0), event->>'subscriptionType', event->>'objectId', event, $2
         FROM jsonb_array_elements($1::jsonb) AS event
         ON CONFLICT DO NOTHING`,
        values: [body, queuePrefix],
      })
      .then(
        () => true,
        () => false,
      );
  return { send, close: () => pool.end() };
}

/**
 * Sends every body with at most `concurrency` in flight; with `perSecond`, also no faster than
 * that (an open-loop rate: latency is then measured at that load, not at saturation).
 */
async function load(send: Send, bodies: string[], concurrency: number, perSecond?: number): Promise<Pick<IngestResult, 'batches' | 'eventsPerSecond' | 'p50' | 'p99' | 'errors'>> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const index = next;
        const body = bodies[index]!;
        next += 1;
        if (perSecond) {
          const due = Number(started) / 1e6 + (index * 1000) / perSecond;
          const wait = due - Number(process.hrtime.bigint()) / 1e6;
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const start = process.hrtime.bigint();
        const ok = await send(body);
        latencies.push(elapsedMs(start));
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = elapsedMs(started) / 1000;
  return { batches: bodies.length, eventsPerSecond: (bodies.length * EVENTS_PER_BATCH) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

/**
 * Runs a measured load after a CHECKPOINT, so that every load starts from the same point of
 * PostgreSQL's checkpoint cycle. Each load writes 100-150 MB of WAL; without it, the WAL of the
 * loads before (the baseline's among them) started a checkpoint (max_wal_size) inside whichever
 * load came later, and its first moments (full-page images of every page touched first) stalled
 * every insert for about 150 ms: the p99 of that run, whatever the target (seen in the
 * receiver's 20,000 events/s run, 33-55 ms against 18-22 without).
 */
async function checkpointed<T>(databaseUrl: string, measure: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
  return measure();
}

const IN_FLIGHT = 10;
/** Batches sent to each HTTP target before it is measured. */
const WARM_UP_BATCHES = 1500;
const RAW_INSERT = 'raw PostgreSQL INSERT into the inbox';
const BARE = 'bare Express (parse JSON)';
const RECEIVER = 'receiver (verify, validate, store, queue)';

/**
 * Two loads per target, at most 10 requests in flight (HubSpot's per-account cap): as fast as
 * it accepts (throughput), and 200 batches per second = 20,000 events/s (ack latency at the
 * target rate). Targets: the raw INSERT (baseline, from this process), a bare Express endpoint
 * and the real receiver (each in a process of its own). Every load sends batches never sent
 * before, so each is stored (no run is a cheap duplicate of another).
 */
export async function benchWebhookIngest(env: Record<string, string> & { DATABASE_URL: string; REDIS_KEY_PREFIX: string }, { batchCount = 1500 } = {}): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  let firstEventId = 1_000_000;
  const nextBatches = (count: number) => {
    const made = batches(count, firstEventId);
    firstEventId += count * EVENTS_PER_BATCH;
    return made;
  };
  const runs = [
    { label: 'flat out', perSecond: undefined },
    { label: 'at 20,000 events/s', perSecond: 200 },
  ];

  const raw = rawInsertSender(env.DATABASE_URL, IN_FLIGHT, env.REDIS_KEY_PREFIX);
  try {
    await load(raw.send, nextBatches(100), 4); // warm-up: connections, plans
    for (const run of runs) {
      results.push({
        target: `${RAW_INSERT}, ${run.label}`,
        baseline: RAW_INSERT,
        peakRssMb: Number.NaN,
        ...(await checkpointed(env.DATABASE_URL, () => load(raw.send, nextBatches(batchCount), IN_FLIGHT, run.perSecond))),
      });
    }
  } finally {
    await raw.close();
  }

  for (const mode of ['bare', 'app'] as const) {
    const name = mode === 'app' ? RECEIVER : BARE;
    const target = await startTarget(mode, env);
    try {
      // Warm-up: connections, plans, and V8's optimizing compiler, at the measured concurrency.
      // 100 batches left the flat-out run half cold: after 300 its first 2,000 batches ran at
      // 36,000-47,000 events/s and the next ones at 43,000-60,000 (one process, same load). A
      // receiver in production runs warm for hours.
      const warmUp = nextBatches(WARM_UP_BATCHES);
      const warmUpSender = httpSender(target.url, warmUp, IN_FLIGHT);
      await load(warmUpSender.send, warmUp, IN_FLIGHT);
      warmUpSender.close();
      const measured = [];
      for (const run of runs) {
        const bodies = nextBatches(batchCount);
        const sender = httpSender(target.url, bodies, IN_FLIGHT);
        measured.push({
          target: `${name}, ${run.label}`,
          baseline: RAW_INSERT,
          ...(await checkpointed(env.DATABASE_URL, () => load(sender.send, bodies, IN_FLIGHT, run.perSecond))),
        });
        sender.close();
      }
      const peak = peakRssMb(target.process.pid);
      for (const result of measured) results.push({ ...result, peakRssMb: peak });
    } finally {
      target.process.kill('SIGTERM');
    }
  }
  return results;
}

export function ingestRows(results: IngestResult[]) {
  return results.map((result) => {
    const run = result.target.split(', ').at(-1)!;
    const baseline = results.find((other) => other.target === `${result.baseline}, ${run}`)!;
    return {
      target: result.target,
      batches: result.batches,
      'events/s': fixed(result.eventsPerSecond, 0),
      'p50 ms': fixed(result.p50),
      'p99 ms': fixed(result.p99),
      errors: result.errors,
      'vs raw INSERT': fixed(result.eventsPerSecond / baseline.eventsPerSecond),
      'peak RSS MB': Number.isNaN(result.peakRssMb) ? '-' : fixed(result.peakRssMb, 0),
    };
  });
}
