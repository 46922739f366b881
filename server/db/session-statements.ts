// Statements prepared once per connection with SQL's PREPARE, run with `EXECUTE name(…)`.
//
// Why not the driver's own prepared statements: a round trip that carries several statements
// (BEGIN, the locks and the reads after them; the last writes and COMMIT) must use PostgreSQL's
// simple query protocol, which takes no parameters. `EXECUTE` in a simple query runs a statement
// the connection prepared earlier, with its cached plan, and takes its arguments as literals
// (integers, or text quoted as `pg.escapeLiteral` quotes it: `quoteLiteral` below). So
// registration's insert (a five-part CTE) travels with the COMMIT, one round trip fewer, and is
// still planned once per connection.
//
// A prepared statement lives as long as its connection, and PostgreSQL re-plans it by itself
// after a migration changes what it reads. Which connections prepared what is remembered per
// client object: the pool hands out the same object for the same connection, and a new
// connection is a new object.
import type pg from 'pg';

export interface SessionStatement {
  /** Unique in the app; the `pc_` prefix keeps it clear of any other prepared statement. */
  name: string;
  /** Parameter types, in order, as PREPARE wants them: `['bigint', 'text[]']`. */
  types: string[];
  /** The statement, with $1, $2, … for the parameters. */
  text: string;
}

/**
 * Around the statements sent with BEGIN (on and off): prepared statements run with their generic
 * plan, planned once (per REPLAN_AFTER_MS), and planned without sequential scans; what the
 * transaction runs after is planned as usual.
 * - Generic: left to itself (plan_cache_mode auto) PostgreSQL may plan a statement anew on every
 *   call: one that takes an array (`domain = ANY($1)`) looks dearer generic, for an array of
 *   unknown length, than planned for the one value at hand (measured: 3,000 plans in 3,000
 *   calls), and planning was about half of registration's reads. The writes prepared here
 *   (inserts from a JSON parameter) take their generic plan by themselves after five calls.
 * - No sequential scans: these statements are lookups by key, which an index answers at any
 *   table size. A plan made on an empty table (a new install, a new benchmark database: zero
 *   pages, so a scan costs nothing) scanned the whole table on every call until it was made
 *   again, as the table grew by thousands of rows a second (the claim check, seen in a profile
 *   of automatic registration: `heap_getnextslot`, `texteq`, `int8ne`).
 */
export const GENERIC_PLANS = {
  on: ['SET LOCAL plan_cache_mode = force_generic_plan', 'SET LOCAL enable_seqscan = off'],
  off: ['SET LOCAL plan_cache_mode = auto', 'SET LOCAL enable_seqscan = on'],
} as const;

/**
 * How long a connection keeps a statement's plan before preparing it again. A generic plan is
 * made once, from the tables as they were then; one made while a table was nearly empty (a new
 * database, before autovacuum's first ANALYZE) can scan a whole index for a row an index lookup
 * finds: measured 12 ms against 0.2 ms on a fresh database. PostgreSQL re-plans by itself after
 * an ANALYZE; re-preparing bounds the staleness when no ANALYZE came. It costs one round trip
 * per connection per period.
 */
export const REPLAN_AFTER_MS = 10_000;

const preparedOn = new WeakMap<pg.ClientBase, Map<string, number>>();

/** Prepares on this connection the statements it has not prepared in the last REPLAN_AFTER_MS: one round trip, then none for a while. */
export async function prepareSessionStatements(client: pg.ClientBase, statements: SessionStatement[], now = Date.now()): Promise<void> {
  let prepared = preparedOn.get(client);
  if (!prepared) {
    prepared = new Map();
    preparedOn.set(client, prepared);
  }
  const due = statements.filter((statement) => !(now - (prepared.get(statement.name) ?? Number.NEGATIVE_INFINITY) < REPLAN_AFTER_MS));
  if (due.length === 0) return;
  await client.query(
    due
      .flatMap((statement) => [
        ...(prepared.has(statement.name) ? [`DEALLOCATE ${statement.name}`] : []),
        `PREPARE ${statement.name}(${statement.types.join(', ')}) AS ${statement.text}`,
      ])
      .join('; '),
  );
  for (const statement of due) prepared.set(statement.name, now);
}

/** An argument of EXECUTE: a checked integer, SQL NULL, or text as a quoted literal (arrays as ARRAY[…]). */
export type SessionArgument = number | string | null | string[];

function literal(argument: SessionArgument): string {
  if (argument === null) return 'NULL';
  if (typeof argument === 'number') {
    // Inlined into SQL: only a finite integer may pass unquoted.
    if (!Number.isSafeInteger(argument)) throw new RangeError(`Not an integer argument: ${argument}`);
    return String(argument);
  }
  if (Array.isArray(argument)) return `ARRAY[${argument.map(quoteLiteral).join(', ')}]::text[]`;
  return quoteLiteral(argument);
}

/**
 * Text as an SQL literal, exactly as `pg.escapeLiteral` writes it (quotes doubled; with a
 * backslash, an E'' literal with backslashes doubled; a test holds the two equal). pg's builds
 * the literal one character at a time: for a webhook job's 40 KB of JSON that was 14 % of all
 * the memory the workers allocated (sampling heap profile, automatic registration benchmark).
 */
export function quoteLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** `EXECUTE name(args)`, for a multi-statement round trip; the statement must be prepared on the connection first. */
export function executeSql(statement: SessionStatement, args: SessionArgument[]): string {
  if (args.length !== statement.types.length) throw new RangeError(`${statement.name} takes ${statement.types.length} arguments, got ${args.length}`);
  return `EXECUTE ${statement.name}(${args.map(literal).join(', ')})`;
}
