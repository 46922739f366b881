// The one place that creates database clients.
//
// Prisma 7's Rust-free client over @prisma/adapter-pg, on a `pg` pool this module owns. The
// same pool is exposed as `db.pool` for the few hot paths that need a hand-written transaction
// (Prisma's interactive transactions cost several times the database's own time per call; see
// registrations/register-contact.ts). Each process owns its pool; processes share the
// database, never a client.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.js';

export type Database = PrismaClient & {
  /** The pool under the Prisma client, for hand-written SQL transactions (see withTransaction). */
  readonly pool: pg.Pool;
};
/** A Prisma transaction client, as handed to `$transaction(async (tx) => …)`. */
export type Transaction = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
}

export function createDatabase({ url, poolSize = 10 }: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (database restart) must not crash the process; the
  // pool replaces it on the next checkout.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const prisma = new PrismaClient({
    adapter,
    // Work on one portal queues on its row lock; a burst must wait its turn, not fail after 2 s.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
  // Paths that only use the pool (registration, webhooks) never start Prisma's engine, and then
  // $disconnect alone would leave the pool open: close it here too.
  const disconnect = prisma.$disconnect.bind(prisma);
  return Object.assign(prisma, {
    pool,
    async $disconnect() {
      await disconnect();
      if (!pool.ended) await pool.end();
    },
  });
}

/**
 * Runs `work` in one SQL transaction on a pooled connection: COMMIT when it returns, ROLLBACK
 * when it throws. `beginWith` holds statements sent in the same round trip as BEGIN (a
 * multi-statement query, so without parameters: callers build only from integers or
 * `pg.escapeLiteral`); each runs with its own snapshot, in order, and `work` receives their
 * results.
 */
export async function withTransaction<T>(
  db: Pick<Database, 'pool'>,
  work: (client: pg.PoolClient, begun: pg.QueryResult[]) => Promise<T>,
  { beginWith }: { beginWith?: string } = {},
): Promise<T> {
  const client = await db.pool.connect();
  try {
    const results = (await client.query(beginWith ? `BEGIN; ${beginWith}` : 'BEGIN')) as unknown as pg.QueryResult | pg.QueryResult[];
    const result = await work(client, Array.isArray(results) ? results.slice(1) : []);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
