// The program console's partners list at scale: GET /api/console/partners over HTTP (operator
// session cookie, validation, the use case, JSON) on the benchmark dataset (5,000 partners,
// 1,000,000 registrations; seed-registrations.ts) plus 500,000 webhook events in the inbox,
// against the use case's own statement run raw through `pg` (the floor: same SQL, no HTTP).
// Each view is a search or sort an operator uses, a page of 25 or 100. "Server" is the route's
// own time (Server-Timing: app), "HTTP" the full round trip on a keep-alive connection.
// Target: server p95 <= 20 ms for every view.
import http from 'node:http';
import type pg from 'pg';
import { baselinePool } from './bench-database.js';
import { loadConfig } from '../server/config/config.js';
import { findPartnersQuery } from '../server/console/find-partners.js';
import { recountPartnerUsage } from '../server/console/partner-usage.js';
import type { PartnerListQuery } from '../server/console/console-contract.js';
import { OPERATOR_SESSION_COOKIE, operatorSessionToken } from '../server/console/operator-session.js';
import { createLogger } from '../server/observability/logger.js';
import { startServer } from '../server/start-server.js';
import { PORTAL_COUNT } from './seed-registrations.js';
import { elapsedMs, fixed, percentile } from './stats.js';

const OPERATOR = 'bench-operator@partner-capacity.example';
const WEBHOOK_EVENTS = 500_000;

const VIEWS: Array<{ view: string; query: PartnerListQuery }> = [
  { view: 'by name, page 1 of 25', query: { sortBy: 'name', sortDirection: 'asc', page: 1, pageSize: 25 } },
  { view: 'by name, page 100 of 25', query: { sortBy: 'name', sortDirection: 'asc', page: 100, pageSize: 25 } },
  { view: 'by tier desc, 100 rows', query: { sortBy: 'tier', sortDirection: 'desc', page: 3, pageSize: 100 } },
  { view: 'by used desc', query: { sortBy: 'used', sortDirection: 'desc', page: 1, pageSize: 25 } },
  { view: 'by % used desc, page 20', query: { sortBy: 'percentUsed', sortDirection: 'desc', page: 20, pageSize: 25 } },
  { view: 'search "portal 12"', query: { search: 'portal 12', sortBy: 'name', sortDirection: 'asc', page: 1, pageSize: 25 } },
];

export interface ConsolePartnersBenchResult {
  view: string;
  serverP50: number;
  serverP95: number;
  httpP95: number;
  sqlP50: number;
  sqlP95: number;
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

/** Webhook events spread over the partners, so "last webhook" reads a real inbox. */
async function seedWebhookEvents(raw: pg.Pool): Promise<void> {
  await raw.query(`
    INSERT INTO webhook_events (portal_id, subscription_id, event_id, occurred_at, subscription_type, object_id, payload, received_at, processed_at, outcome)
    SELECT 1 + n % ${PORTAL_COUNT}, 1, n, now() - n * interval '1 second', 'contact.propertyChange', n::text, '{}'::jsonb,
           now() - n * interval '1 second', now(), 'applied'
    FROM generate_series(1, ${WEBHOOK_EVENTS}) AS n`);
  await raw.query('VACUUM ANALYZE webhook_events');
}

export async function benchConsolePartners(databaseUrl: string, rounds = 40): Promise<{ views: ConsolePartnersBenchResult[]; recountMs: number }> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    OPERATOR_EMAILS: OPERATOR,
    REDIS_KEY_PREFIX: `pc-bench-console-${Date.now()}`,
  });
  const raw = baselinePool(databaseUrl, 2);
  await seedWebhookEvents(raw);
  const server = await startServer({ config, databaseUrl, logger: createLogger({ level: 'silent', name: 'bench' }) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cookie = `${OPERATOR_SESSION_COOKIE}=${operatorSessionToken(config, OPERATOR)}`;
  try {
    // What the background recount costs (at most once a minute, one process at a time).
    const recountStart = process.hrtime.bigint();
    await recountPartnerUsage({ pool: raw });
    const recountMs = elapsedMs(recountStart);
    const urlOf = (query: PartnerListQuery) =>
      `${server.url}/api/console/partners?${new URLSearchParams(Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]))}`;
    for (const { query } of VIEWS) {
      // Warm both paths (plans, caches, connections) before measuring.
      const warm = await get(agent, urlOf(query), cookie);
      if (warm.status !== 200) throw new Error(`the partners API answered ${warm.status} to ${urlOf(query)}`);
      await raw.query(findPartnersQuery({ ...query, expiringWithinDays: 14 }));
    }
    const samples = VIEWS.map(() => ({ server: [] as number[], http: [] as number[], sql: [] as number[] }));
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, { query }] of VIEWS.entries()) {
        let start = process.hrtime.bigint();
        const answer = await get(agent, urlOf(query), cookie);
        samples[index]!.http.push(elapsedMs(start));
        samples[index]!.server.push(answer.serverMs);
        start = process.hrtime.bigint();
        await raw.query(findPartnersQuery({ ...query, expiringWithinDays: 14 }));
        samples[index]!.sql.push(elapsedMs(start));
      }
    }
    const views = VIEWS.map(({ view }, index) => {
      const sample = samples[index]!;
      return {
        view,
        serverP50: percentile(sample.server, 50),
        serverP95: percentile(sample.server, 95),
        httpP95: percentile(sample.http, 95),
        sqlP50: percentile(sample.sql, 50),
        sqlP95: percentile(sample.sql, 95),
      };
    });
    return { views, recountMs };
  } finally {
    agent.destroy();
    await server.close();
    await raw.end();
  }
}

export function consolePartnersRows({ views, recountMs }: { views: ConsolePartnersBenchResult[]; recountMs: number }): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = views.map((result) => ({
    view: result.view,
    'server p50 ms': fixed(result.serverP50),
    'server p95 ms': fixed(result.serverP95),
    'HTTP p95 ms': fixed(result.httpP95),
    'raw SQL p50 ms': fixed(result.sqlP50),
    'raw SQL p95 ms': fixed(result.sqlP95),
    'server p95 <= 20 ms': result.serverP95 <= 20 ? 'yes' : 'NO',
  }));
  rows.push({
    view: 'background recount of partner_usage (once a minute at most)',
    'server p50 ms': '',
    'server p95 ms': '',
    'HTTP p95 ms': '',
    'raw SQL p50 ms': fixed(recountMs),
    'raw SQL p95 ms': '',
    'server p95 <= 20 ms': '',
  });
  return rows;
}
