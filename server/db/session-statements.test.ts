import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { asResults, withTransaction } from './client.js';
import { executeSql, prepareSessionStatements, REPLAN_AFTER_MS, type SessionStatement } from './session-statements.js';

const db = testDatabase(1);
afterAll(() => db.$disconnect());

const ECHO: SessionStatement = { name: 'pc_test_echo', types: ['bigint', 'text', 'text[]'], text: 'SELECT $1::bigint AS id, $2::text AS label, $3::text[] AS list' };

describe('session statements', () => {
  it('writes arguments as literals that survive quotes and backslashes, and refuses a number that is not an integer', () => {
    // pg.escapeLiteral doubles quotes, and backslashes in an E'' string.
    expect(executeSql(ECHO, [7, "O'Brien \\ co", ['a', "b'c"]])).toBe("EXECUTE pc_test_echo(7,  E'O''Brien \\\\ co', ARRAY['a', 'b''c']::text[])");
    expect(() => executeSql(ECHO, [1.5, 'x', []])).toThrow(RangeError);
    expect(() => executeSql(ECHO, [1, 'x'])).toThrow(/takes 3 arguments/);
    expect(executeSql(ECHO, [7, null, []])).toBe('EXECUTE pc_test_echo(7, NULL, ARRAY[]::text[])');
  });

  it('prepares once per connection (again after REPLAN_AFTER_MS) and runs with the same answer as the parameters would give', async () => {
    const client = await db.pool.connect();
    try {
      const now = Date.now();
      await prepareSessionStatements(client, [ECHO], now);
      await prepareSessionStatements(client, [ECHO], now + 1); // a second PREPARE of the same name would fail
      await prepareSessionStatements(client, [ECHO], now + REPLAN_AFTER_MS); // deallocated and prepared again: a fresh plan
      const label = "it's \\ here";
      const { rows } = await client.query(executeSql(ECHO, [42, label, ['x', 'y']]));
      expect(rows).toEqual([{ id: '42', label, list: ['x', 'y'] }]);
      const { rows: parameterized } = await client.query(ECHO.text, [42, label, ['x', 'y']]);
      expect(parameterized).toEqual(rows);
    } finally {
      client.release();
    }
  });

  it('generic plans for the statements sent with BEGIN only; the work after is planned as usual', async () => {
    const modes = await withTransaction(db, async (sql, [begun]) => [begun!.rows[0].plan_cache_mode, (await sql.query('SHOW plan_cache_mode')).rows[0].plan_cache_mode], {
      beginWith: 'SHOW plan_cache_mode',
      prepare: [ECHO],
    });
    expect(modes).toEqual(['force_generic_plan', 'auto']);
    const scans = await withTransaction(db, async (sql, [begun]) => [begun!.rows[0].enable_seqscan, (await sql.query('SHOW enable_seqscan')).rows[0].enable_seqscan], {
      beginWith: 'SHOW enable_seqscan',
      prepare: [ECHO],
    });
    expect(scans).toEqual(['off', 'on']);
  });

  it('a lookup prepared while its table is empty keeps using the index once the table has grown', async () => {
    // Analyzed while empty, as a new install's tables are by their migrations: the planner then
    // believes the table holds nothing at all.
    await db.pool.query(
      'DROP TABLE IF EXISTS session_statements_growth; CREATE TABLE session_statements_growth (id bigint PRIMARY KEY, label text); ANALYZE session_statements_growth',
    );
    const LOOKUP: SessionStatement = { name: 'pc_test_growth_lookup', types: ['bigint'], text: 'SELECT label FROM session_statements_growth WHERE id = $1' };
    // Planned on an empty table (zero pages: a sequential scan would cost nothing)...
    await withTransaction(db, async () => {}, { beginWith: executeSql(LOOKUP, [1]), prepare: [LOOKUP] });
    const client = await db.pool.connect(); // the same connection: this file's pool holds one
    try {
      await client.query("INSERT INTO session_statements_growth SELECT n, 'row ' || n FROM generate_series(1, 20000) AS n");
      // ...and run on 20,000 rows with the plan the connection cached: still an index scan.
      const [, , explained] = asResults(await client.query(`BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; EXPLAIN ${executeSql(LOOKUP, [7])}`));
      await client.query('ROLLBACK');
      expect(explained!.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Scan using session_statements_growth_pkey/);
    } finally {
      client.release();
    }
  });

  it('commitWith: the writes and COMMIT in one round trip; a failing statement rolls everything back', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS session_statements_probe (n int PRIMARY KEY)');
    await db.pool.query('TRUNCATE session_statements_probe');
    await withTransaction(db, async (sql, _begun, end) => {
      await sql.query('INSERT INTO session_statements_probe VALUES (1)');
      const [inserted] = await end.commitWith(['INSERT INTO session_statements_probe VALUES (2) RETURNING n']);
      expect(inserted!.rows).toEqual([{ n: 2 }]);
    });
    await expect(
      withTransaction(db, async (sql, _begun, end) => {
        await sql.query('INSERT INTO session_statements_probe VALUES (3)');
        await end.commitWith(['INSERT INTO session_statements_probe VALUES (4)', 'INSERT INTO session_statements_probe VALUES (1)']);
      }),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await db.pool.query<{ n: number }>('SELECT n FROM session_statements_probe ORDER BY n');
    expect(rows.map((row) => row.n)).toEqual([1, 2]);
    await db.pool.query('DROP TABLE session_statements_probe');
  });
});
