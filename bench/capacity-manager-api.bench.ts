// The Capacity Manager's list API at scale: GET /api/registrations over HTTP (session cookie,
// validation, the use case, JSON) against the best hand-written SQL for the same question
// (bestSql in find-registrations.bench.ts, raw through `pg`), interleaved in the same
// run on the 1,000,000-registration dataset (the biggest portal: 1,000 active, 50,000 in its
// history). Each request is a search + a sort + a page of 100, as the page asks. "Server" is the
// time the route itself reports (Server-Timing: app), "HTTP" the full round trip on a keep-alive
// connection from this process.
import http from 'node:http';
import { loadConfig } from '../server/config/config.js';
import type { Database } from '../server/db/client.js';
import { issueCardLink } from '../server/capacity-manager/card-link.js';
import { createLogger } from '../server/observability/logger.js';
import { baselinePool } from './bench-database.js';
import type { FindRegistrationsInput } from '../server/registrations/find-registrations.js';
import { bestSql } from './find-registrations.bench.js';
import { startServer } from '../server/start-server.js';
import { BIGGEST_PORTAL_ID } from './seed-registrations.js';
import { elapsedMs, fixed, percentile } from './stats.js';

const QUERIES: Array<Omit<FindRegistrationsInput, 'portalId' | 'status' | 'pageSize'>> = [
  { search: 'nordic', sortBy: 'companyName', sortDirection: 'asc' },
  { search: 'berg', sortBy: 'contactName', sortDirection: 'desc' },
  { search: 'sweden', sortBy: 'domain', sortDirection: 'asc' },
  { search: 'labs', sortBy: 'country', sortDirection: 'asc' },
  { search: 'a', sortBy: 'registeredAt', sortDirection: 'desc', page: 3 },
  { search: 'falcon-robotics', sortBy: 'registeredAt', sortDirection: 'asc', page: 2 },
];

export interface ListApiBenchResult {
  view: string;
  serverP50: number;
  serverP95: number;
  httpP50: number;
  httpP95: number;
  useCaseP50: number;
  useCaseP95: number;
}

function get(agent: http.Agent, url: string, cookie: string): Promise<{ status: number; serverMs: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { cookie, accept: 'application/json' } }, (response) => {
        response.resume();
        response.on('end', () => {
          const timing = /app;dur=([\d.]+)/.exec(String(response.headers['server-timing'] ?? ''));
          resolve({ status: response.statusCode ?? 0, serverMs: timing ? Number(timing[1]) : Number.NaN });
        });
      })
      .on('error', reject);
  });
}

export async function benchCapacityManagerApi(_db: Database, databaseUrl: string, rounds = 60): Promise<ListApiBenchResult[]> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', MIGRATE_ON_START: 'false', REDIS_KEY_PREFIX: `pc-bench-cm-${Date.now()}` });
  const server = await startServer({ config, databaseUrl, logger: createLogger({ level: 'silent', name: 'bench' }) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const raw = baselinePool(databaseUrl, 2);
  try {
    // A session as a partner gets one: through the card's link.
    const link = new URL(issueCardLink({ config }, { portalId: BIGGEST_PORTAL_ID, userId: '1', userEmail: 'bench@agency.example' }, 'en').url);
    const redeemed = await fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    const cookie = redeemed.headers.get('set-cookie')!.split(';')[0]!;

    const results: ListApiBenchResult[] = [];
    for (const status of ['active', 'deregistered'] as const) {
      const inputs = QUERIES.map((query) => ({ ...query, portalId: BIGGEST_PORTAL_ID, status, pageSize: 100 }));
      const urlOf = (input: (typeof inputs)[number]) =>
        `${server.url}/api/registrations?${new URLSearchParams({ search: input.search!, sortBy: input.sortBy!, sortDirection: input.sortDirection!, page: String(input.page ?? 1), pageSize: '100', status })}`;
      const serverTimes: number[] = [];
      const httpTimes: number[] = [];
      const direct: number[] = [];
      for (const input of inputs) {
        // Warm both paths (plans, caches, connections) before measuring.
        if ((await get(agent, urlOf(input), cookie)).status !== 200) throw new Error(`the list API refused ${urlOf(input)}`);
        await bestSql(raw, input);
      }
      for (let round = 0; round < rounds; round += 1) {
        for (const input of inputs) {
          let start = process.hrtime.bigint();
          const answer = await get(agent, urlOf(input), cookie);
          httpTimes.push(elapsedMs(start));
          serverTimes.push(answer.serverMs);
          start = process.hrtime.bigint();
          await bestSql(raw, input);
          direct.push(elapsedMs(start));
        }
      }
      results.push({
        view: status === 'active' ? 'registered (1,000 active)' : 'history (50,000 deregistered)',
        serverP50: percentile(serverTimes, 50),
        serverP95: percentile(serverTimes, 95),
        httpP50: percentile(httpTimes, 50),
        httpP95: percentile(httpTimes, 95),
        useCaseP50: percentile(direct, 50),
        useCaseP95: percentile(direct, 95),
      });
    }
    return results;
  } finally {
    agent.destroy();
    await raw.end();
    await server.close();
  }
}

export function capacityManagerApiRows(results: ListApiBenchResult[]) {
  return results.map((result) => ({
    view: result.view,
    'server p50 ms': fixed(result.serverP50),
    'server p95 ms': fixed(result.serverP95),
    'HTTP p50 ms': fixed(result.httpP50),
    'HTTP p95 ms': fixed(result.httpP95),
    'best SQL p50 ms': fixed(result.useCaseP50),
    'best SQL p95 ms': fixed(result.useCaseP95),
    'server/best SQL p95': fixed(result.serverP95 / result.useCaseP95),
    'HTTP/best SQL p95': fixed(result.httpP95 / result.useCaseP95),
  }));
}
