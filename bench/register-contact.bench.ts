// Registration throughput: 16 concurrent callers through the register use case (portal lock,
// count, insert, audit, one transaction each), against a bare INSERT of the same rows with the
// same concurrency, in the same run. Two spreads: many portals (the normal load: callers rarely
// wait for each other) and one portal (the worst case: every registration queues on its lock).
// The many-portals spread runs twice, with the program's claims exclusive (the default: each
// registration also takes its domain's program-wide lock and checks other partners' holds) and
// shared, so the exclusivity check's cost is a ratio measured in the same run.
import { baselinePool } from './bench-database.js';
import type { Database } from '../server/db/client.js';
import { snapshotOf } from '../server/domain/registration-snapshot.js';
import { registerContact } from '../server/registrations/register-contact.js';
import { elapsedMs, fixed } from './stats.js';

export interface RegisterBenchResult {
  spread: string;
  claimMode: 'exclusive' | 'shared';
  registrations: number;
  useCasePerSecond: number;
  bareInsertPerSecond: number;
}

async function runConcurrently(total: number, concurrency: number, work: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        await work(index);
      }
    }),
  );
  return elapsedMs(start);
}

function contactFor(run: string, index: number) {
  return {
    contactId: String(index),
    website: `https://www.${run}-${index}.com/`,
    firstName: 'Bench',
    lastName: `Caller ${index}`,
    company: `Bench ${index} AB`,
    country: 'Sweden',
  };
}

export async function benchRegisterContact(db: Database, databaseUrl: string, { total = 6000, concurrency = 16 } = {}): Promise<RegisterBenchResult[]> {
  const raw = baselinePool(databaseUrl, concurrency);
  const results: RegisterBenchResult[] = [];
  try {
    for (const [spread, portalCount, claimMode] of [
      ['64 portals', 64, 'shared'],
      ['64 portals', 64, 'exclusive'],
      ['1 portal', 1, 'exclusive'],
    ] as const) {
      await raw.query(`UPDATE program_settings SET claim_mode = $1::claim_mode WHERE id = 1`, [claimMode]);
      const firstPortal = 900_000 + results.length * 1000;
      await raw.query(`INSERT INTO portals (id, name, tier, limit_override) SELECT g, 'throughput', 'diamond', 1000000 FROM generate_series($1::bigint, $2::bigint) AS g`, [
        firstPortal,
        firstPortal + portalCount - 1,
      ]);
      const run = `r${firstPortal}`;
      const useCaseMs = await runConcurrently(total, concurrency, async (index) => {
        const result = await registerContact(db, {
          portalId: firstPortal + (index % portalCount),
          contact: contactFor(run, index),
          registeredBy: 'bench@agency.example',
          channel: 'card',
        });
        if (!result.ok) throw new Error(result.refusal.message);
      });
      const insertRun = `i${firstPortal}`;
      const insertMs = await runConcurrently(total, concurrency, async (index) => {
        const snapshot = snapshotOf(contactFor(insertRun, index), `${insertRun}-${index}.com`);
        await raw.query(
          `INSERT INTO registrations (portal_id, domain, website, company_name, contact_name, country, contact_id, search_text, registered_by, channel)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'card')`,
          [
            firstPortal + (index % portalCount),
            snapshot.domain,
            snapshot.website,
            snapshot.companyName,
            snapshot.contactName,
            snapshot.country,
            snapshot.contactId,
            snapshot.searchText,
            'bench@agency.example',
          ],
        );
      });
      results.push({ spread, claimMode, registrations: total, useCasePerSecond: (total / useCaseMs) * 1000, bareInsertPerSecond: (total / insertMs) * 1000 });
    }
  } finally {
    await raw.query(`UPDATE program_settings SET claim_mode = 'exclusive' WHERE id = 1`);
    await raw.end();
  }
  return results;
}

export function registerRows(results: RegisterBenchResult[]) {
  const shared = results.find((result) => result.claimMode === 'shared');
  return results.map((result) => ({
    spread: result.spread,
    claims: result.claimMode,
    registrations: result.registrations,
    'use case /s': fixed(result.useCasePerSecond, 0),
    'bare INSERT /s': fixed(result.bareInsertPerSecond, 0),
    'use case / bare': fixed(result.useCasePerSecond / result.bareInsertPerSecond),
    // The exclusivity check's cost: exclusive over shared on the same spread (target ≥ 0.90).
    'vs shared': shared && result.spread === shared.spread ? fixed(result.useCasePerSecond / shared.useCasePerSecond) : '',
  }));
}
