// Find registrations at scale: the use case (through Prisma) against the same SQL sent raw
// through `pg`, interleaved so both see the same machine. Cases: the Capacity Manager's default
// view (active domains of the biggest portal) and its history view (all 51,000), each with a
// search term, a sort and a page of 100.
import pg from 'pg';
import type { Database } from '../server/db/client.js';
import { findRegistrations, findRegistrationsQuery, type FindRegistrationsInput } from '../server/registrations/find-registrations.js';
import { BIGGEST_PORTAL_ID } from './seed-registrations.js';
import { elapsedMs, fixed, percentile } from './stats.js';

const SEARCHES: Array<Omit<FindRegistrationsInput, 'portalId' | 'status'>> = [
  { search: 'nordic', sortBy: 'companyName', sortDirection: 'asc' },
  { search: 'berg', sortBy: 'contactName', sortDirection: 'desc' },
  { search: 'sweden', sortBy: 'domain', sortDirection: 'asc' },
  { search: 'labs', sortBy: 'country', sortDirection: 'asc' },
  { search: 'a', sortBy: 'registeredAt', sortDirection: 'desc' },
  { search: 'falcon-robotics', sortBy: 'registeredAt', sortDirection: 'asc', page: 2 },
];

export interface FindBenchResult {
  view: string;
  useCaseP50: number;
  useCaseP95: number;
  rawP50: number;
  rawP95: number;
}

export async function benchFindRegistrations(db: Database, databaseUrl: string, rounds = 60): Promise<FindBenchResult[]> {
  const raw = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const results: FindBenchResult[] = [];
  try {
    for (const status of ['active', 'all'] as const) {
      const useCase: number[] = [];
      const direct: number[] = [];
      const inputs = SEARCHES.map((search) => ({ portalId: BIGGEST_PORTAL_ID, status, pageSize: 100, ...search }));
      // Warm both paths (plans, caches, connections) before measuring.
      for (const input of inputs) {
        await findRegistrations(db, input);
        const query = findRegistrationsQuery(input);
        await raw.query(query.text, query.values as unknown[]);
      }
      for (let round = 0; round < rounds; round += 1) {
        for (const input of inputs) {
          let start = process.hrtime.bigint();
          await findRegistrations(db, input);
          useCase.push(elapsedMs(start));
          const query = findRegistrationsQuery({ page: 1, ...input });
          start = process.hrtime.bigint();
          await raw.query(query.text, query.values as unknown[]);
          direct.push(elapsedMs(start));
        }
      }
      results.push({
        view: status === 'active' ? 'active (1,000 rows)' : 'all (51,000 rows)',
        useCaseP50: percentile(useCase, 50),
        useCaseP95: percentile(useCase, 95),
        rawP50: percentile(direct, 50),
        rawP95: percentile(direct, 95),
      });
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
    'raw pg p50 ms': fixed(result.rawP50),
    'raw pg p95 ms': fixed(result.rawP95),
    'p95 ratio': fixed(result.useCaseP95 / result.rawP95),
  }));
}
