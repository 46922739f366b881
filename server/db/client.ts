// The one place that creates a Prisma client.
//
// Prisma 7's Rust-free client over @prisma/adapter-pg: plain `pg` connections, no native
// engine. Each process owns its pool; several processes share the database, never a client.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export type Database = PrismaClient;
/** A Prisma transaction client, as handed to `$transaction(async (tx) => …)`. */
export type Transaction = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
}

export function createDatabase({ url, poolSize = 10 }: DatabaseOptions): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return new PrismaClient({
    adapter,
    // Registrations queue on their portal's row lock; a burst for one portal must wait its
    // turn rather than fail after Prisma's 2 s default.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}
