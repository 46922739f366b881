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
import { GENERIC_PLANS, prepareSessionStatements, type SessionStatement } from './session-statements.js';

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

/** How a transaction's work ends it early (see withTransaction). */
export interface TransactionEnd {
  /**
   * Sends `statements` and COMMIT in one round trip and returns the statements' results: the
   * transaction is over when it resolves, so nothing after it may fail. When a statement fails,
   * the rest and the COMMIT do not run, and the transaction rolls back.
   */
  commitWith(statements: string[]): Promise<pg.QueryResult[]>;
}

/**
 * Runs `work` in one SQL transaction on a pooled connection: COMMIT when it returns (unless it
 * committed with `end.commitWith`), ROLLBACK when it throws. `beginWith` holds statements sent
 * in the same round trip as BEGIN (a multi-statement query, so without parameters: callers build
 * only from integers, `quoteLiteral` or `EXECUTE` of `prepare`d statements, see
 * session-statements.ts); each runs with its own snapshot, in order, and `work` receives their
 * results. `prepare` are prepared on the connection first if it has not yet, and the transaction
 * then runs the statements sent with BEGIN with their generic plans, never sequential scans
 * (GENERIC_PLANS).
 */
export async function withTransaction<T>(
  db: Pick<Database, 'pool'>,
  work: (client: pg.PoolClient, begun: pg.QueryResult[], end: TransactionEnd) => Promise<T>,
  { beginWith, prepare = [] }: { beginWith?: string; prepare?: SessionStatement[] } = {},
): Promise<T> {
  const client = await db.pool.connect();
  let committed = false;
  const end: TransactionEnd = {
    async commitWith(statements) {
      const results = asResults(await client.query([...statements, 'COMMIT'].join('; ')));
      committed = true;
      return results.slice(0, -1);
    },
  };
  try {
    await prepareSessionStatements(client, prepare);
    // Generic plans (without sequential scans) for the statements sent with BEGIN only: the
    // caller's own statements later in the transaction are planned as usual.
    const generic = prepare.length > 0 && beginWith !== undefined;
    const begin = generic ? ['BEGIN', ...GENERIC_PLANS.on, beginWith, ...GENERIC_PLANS.off] : ['BEGIN', ...(beginWith ? [beginWith] : [])];
    const results = asResults(await client.query(begin.join('; ')));
    const begun = generic ? results.slice(1 + GENERIC_PLANS.on.length, -GENERIC_PLANS.off.length) : results.slice(1);
    const result = await work(client, begun, end);
    if (!committed) await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!committed) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A simple query's results: one per statement (pg answers a single statement with the result alone). */
export function asResults(answer: unknown): pg.QueryResult[] {
  return Array.isArray(answer) ? answer : [answer as pg.QueryResult];
}
