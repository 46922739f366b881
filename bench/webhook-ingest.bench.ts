// Webhook ingest: signed 100-event batches from a keep-alive load generator against the real
// receiver (signature check, validation, one inbox INSERT, one queue job per batch), and the
// same load against a bare Express endpoint that only parses the JSON, each in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { signRequest } from '../test/hubspot-fake/index.js';
import { freePort } from '../test/support/server.js';
import { elapsedMs, fixed, percentile } from './stats.js';

const EVENTS_PER_BATCH = 100;
export const CLIENT_SECRET = 'bench-client-secret-0123456789';

export interface IngestResult {
  target: string;
  batches: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function startTarget(mode: 'app' | 'app+workers' | 'bare', env: Record<string, string>, port?: number): Promise<{ url: string; process: ChildProcess }> {
  port ??= await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-target.ts', mode], {
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

/**
 * Sends every body with at most `concurrency` requests in flight; with `perSecond`, also no
 * faster than that (an open-loop rate: latency is then measured at that load, not at saturation).
 */
async function load(url: string, bodies: string[], concurrency: number, perSecond?: number): Promise<Omit<IngestResult, 'target'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/webhooks/hubspot', url);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  // Signed beforehand: signing is HubSpot's work, not the receiver's.
  const signed = bodies.map((body) => ({
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...signRequest({ method: 'POST', url: target.toString(), body, clientSecret: CLIENT_SECRET }),
    },
  }));
  const send = ({ body, headers }: (typeof signed)[number]) =>
    new Promise<number>((resolve) => {
      const request = http.request(target, { method: 'POST', agent, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', () => resolve(0));
      request.end(body);
    });
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < signed.length) {
        const index = next;
        const body = signed[index]!;
        next += 1;
        if (perSecond) {
          const due = Number(started) / 1e6 + (index * 1000) / perSecond;
          const wait = due - Number(process.hrtime.bigint()) / 1e6;
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const start = process.hrtime.bigint();
        const status = await send(body);
        latencies.push(elapsedMs(start));
        if (status !== 200) errors += 1;
      }
    }),
  );
  const seconds = elapsedMs(started) / 1000;
  agent.destroy();
  return { batches: bodies.length, eventsPerSecond: (bodies.length * EVENTS_PER_BATCH) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

/**
 * Two loads per target, at most 10 requests in flight (HubSpot's per-account cap): as fast as
 * it accepts (throughput), and 200 batches per second = 20,000 events/s (ack latency at the
 * target rate).
 */
export async function benchWebhookIngest(env: Record<string, string>, { batchCount = 1500 } = {}): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  let firstEventId = 1_000_000;
  const runs = [
    { label: 'flat out', perSecond: undefined },
    { label: 'at 20,000 events/s', perSecond: 200 },
  ];
  for (const mode of ['bare', 'app'] as const) {
    const target = await startTarget(mode, env);
    try {
      await load(target.url, batches(100, 1), 4); // warm-up: connections, plans, JIT
      for (const run of runs) {
        const name = mode === 'app' ? 'receiver (verify, validate, store, queue)' : 'bare Express (parse JSON)';
        results.push({ target: `${name}, ${run.label}`, ...(await load(target.url, batches(batchCount, firstEventId), 10, run.perSecond)) });
        firstEventId += batchCount * EVENTS_PER_BATCH;
      }
    } finally {
      target.process.kill('SIGTERM');
    }
  }
  return results;
}

export function ingestRows(results: IngestResult[]) {
  return results.map((result) => {
    const inFlight = result.target.split(', ').at(-1);
    const bare = results.find((other) => other.target.startsWith('bare') && other.target.endsWith(inFlight!))!;
    return {
      target: result.target,
      batches: result.batches,
      'events/s': fixed(result.eventsPerSecond, 0),
      'p50 ms': fixed(result.p50),
      'p99 ms': fixed(result.p99),
      errors: result.errors,
      'vs bare': fixed(result.eventsPerSecond / bare.eventsPerSecond),
    };
  });
}
