// Find registrations at scale: the use case (through Prisma: filter, sort in the session's
// language, a page of 100 plus its total) against the best SQL we can write by hand for the same
// question, with the same indexes, sent raw through `pg`, interleaved so both see the same machine.
//
// The baseline answers the same question as the page needs it: the page's rows (one ordered,
// limited index scan per status, merged) and a total that is exact up to 1,000 matches (a
// bounded count) and the planner's estimate past it. It is hand-written here, not the use
// case's own query, so that a slow use case query cannot score well against itself.
import pg from 'pg';
import type { Database } from '../server/db/client.js';
import { findRegistrations, type FindRegistrationsInput } from '../server/registrations/find-registrations.js';
import { BIGGEST_PORTAL_ID } from './seed-registrations.js';
import { elapsedMs, fixed, percentile } from './stats.js';

export type BenchQuery = Omit<FindRegistrationsInput, 'portalId' | 'status' | 'pageSize'>;

/** Every sort in both directions, a one-letter search, no search, rare and common terms. */
export const BENCH_QUERIES: BenchQuery[] = [
  { search: 'nordic', sortBy: 'companyName', sortDirection: 'asc' },
  { search: 'nordic', sortBy: 'companyName', sortDirection: 'desc', locale: 'sv' },
  { search: 'berg', sortBy: 'contactName', sortDirection: 'desc' },
  { search: 'berg', sortBy: 'contactName', sortDirection: 'asc', locale: 'sv' },
  { search: 'sweden', sortBy: 'domain', sortDirection: 'asc' },
  { search: 'sweden', sortBy: 'domain', sortDirection: 'desc' },
  { search: 'labs', sortBy: 'country', sortDirection: 'asc' },
  { search: 'labs', sortBy: 'country', sortDirection: 'desc', locale: 'sv' },
  { search: 'a', sortBy: 'registeredAt', sortDirection: 'desc' },
  { search: 'a', sortBy: 'registeredAt', sortDirection: 'asc' },
  { sortBy: 'registeredAt', sortDirection: 'desc' },
  { sortBy: 'companyName', sortDirection: 'asc' },
  { search: 'falcon-robotics', sortBy: 'registeredAt', sortDirection: 'asc', page: 2 },
];

const SORT_SQL: Record<string, (locale: string) => string> = {
  domain: () => 'domain',
  registeredAt: () => 'registered_at',
  companyName: (locale) => `coalesce(company_name, '') COLLATE registrations_${locale}`,
  contactName: (locale) => `coalesce(contact_name, '') COLLATE registrations_${locale}`,
  country: (locale) => `coalesce(country, '') COLLATE registrations_${locale}`,
};

/** The hand-tuned baseline: the page's rows, then a bounded count (and an estimate past it). */
export async function bestSql(raw: pg.Pool, input: FindRegistrationsInput): Promise<void> {
  const key = SORT_SQL[input.sortBy ?? 'registeredAt']!(input.locale ?? 'en');
  const dir = (input.sortDirection ?? 'desc') === 'desc' ? 'DESC' : 'ASC';
  const size = input.pageSize ?? 100;
  const offset = ((input.page ?? 1) - 1) * size;
  const statuses = input.status === 'all' ? ['active', 'deregistered'] : [input.status ?? 'active'];
  const term = input.search ? `%${input.search}%` : null;
  const like = term ? 'AND search_text LIKE $2' : '';
  const params: unknown[] = term ? [input.portalId, term] : [input.portalId];
  const branches = statuses.map(
    (status) =>
      `(SELECT id, domain, status, website, company_name, contact_name, country, contact_id, registered_at, registered_by, channel, deregistered_at, deregistered_by, deregistration_job_id, contact_erased_at, ${key} AS k
        FROM registrations WHERE portal_id = $1 AND status = '${status}' ${like} ORDER BY ${key} ${dir}, id ${dir} LIMIT ${offset + size + 1})`,
  );
  await raw.query(`SELECT * FROM (${branches.join(' UNION ALL ')}) AS u ORDER BY k ${dir}, id ${dir} LIMIT ${size + 1} OFFSET ${offset}`, params);
  const filter = `portal_id = $1 AND status = ANY('{${statuses.join(',')}}'::registration_status[]) ${like}`;
  const { rows } = await raw.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM registrations WHERE ${filter} LIMIT 1001) AS c`, params);
  if (rows[0].n > 1000) await raw.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM registrations WHERE ${filter}`, params);
}

export interface FindBenchResult {
  view: string;
  useCaseP50: number;
  useCaseP95: number;
  rawP50: number;
  rawP95: number;
}

export async function benchFindRegistrations(db: Database, databaseUrl: string, rounds = 30): Promise<FindBenchResult[]> {
  const raw = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const results: FindBenchResult[] = [];
  const cases: Array<{ view: string; inputs: FindRegistrationsInput[] }> = [
    ...(['active', 'deregistered', 'all'] as const).map((status) => ({
      view: { active: 'registered (1,000)', deregistered: 'history (50,000)', all: 'all (51,000)' }[status],
      inputs: BENCH_QUERIES.map((query) => ({ portalId: BIGGEST_PORTAL_ID, status, pageSize: 100, ...query })),
    })),
    { view: 'history, page 200 (jump)', inputs: [{ portalId: BIGGEST_PORTAL_ID, status: 'deregistered', pageSize: 100, page: 200 }] },
  ];
  try {
    for (const { view, inputs } of cases) {
      const useCase: number[] = [];
      const direct: number[] = [];
      // Warm both paths (plans, caches, connections) before measuring.
      for (const input of inputs) {
        await findRegistrations(db, input);
        await bestSql(raw, input);
      }
      const perInput = Math.max(rounds, Math.ceil(300 / inputs.length));
      for (let round = 0; round < perInput; round += 1) {
        for (const input of inputs) {
          let start = process.hrtime.bigint();
          await findRegistrations(db, input);
          useCase.push(elapsedMs(start));
          start = process.hrtime.bigint();
          await bestSql(raw, input);
          direct.push(elapsedMs(start));
        }
      }
      results.push({ view, useCaseP50: percentile(useCase, 50), useCaseP95: percentile(useCase, 95), rawP50: percentile(direct, 50), rawP95: percentile(direct, 95) });
    }
  } finally {
    await raw.end();
  }
  return results;
}

export function findRows(results: FindBenchResult[]) {
  return results.map((result) => ({
    view: result.view,
    'use case p50 ms': fixed(result.useCaseP50),
    'use case p95 ms': fixed(result.useCaseP95),
    'best SQL p50 ms': fixed(result.rawP50),
    'best SQL p95 ms': fixed(result.rawP95),
    'p95 ratio': fixed(result.useCaseP95 / result.rawP95),
  }));
}
