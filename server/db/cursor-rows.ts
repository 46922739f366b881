// Every row of a query, streamed from a server-side cursor: one read-only transaction (one
// consistent snapshot), a thousand rows at a time, so memory stays flat however many rows match.
// The consumer's pace holds the cursor (a slow download waits on it, not on the process's memory),
// and a consumer that stops early (an abandoned download) ends the transaction all the same.
import type { Database } from './client.js';

const FETCH_SIZE = 1000;

export async function* cursorRows<Row>(db: Pick<Database, 'pool'>, query: { text: string; values: readonly unknown[] }): AsyncGenerator<Row> {
  const client = await db.pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query({ text: `DECLARE rows_export NO SCROLL CURSOR FOR ${query.text}`, values: [...query.values] });
    for (;;) {
      const { rows } = await client.query(`FETCH ${FETCH_SIZE} FROM rows_export`);
      yield* rows as Row[];
      if (rows.length < FETCH_SIZE) break;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // Also reached when the consumer returns the generator early.
    await client.query(failed ? 'ROLLBACK' : 'COMMIT').catch(() => {});
    client.release();
  }
}
