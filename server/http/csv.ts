// A CSV download: a header row and one line per row, streamed to `output` with its backpressure.
// Cells a spreadsheet would run as a formula (=, +, -, @ …) are escaped in every export: names,
// domains and actors come from outside.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export interface CsvColumn {
  key: string;
  header: string;
}

/** Resolves when every row is written. */
export async function writeCsv(rows: AsyncIterable<object>, columns: readonly CsvColumn[], output: Writable): Promise<void> {
  await pipeline(rows, stringify({ header: true, columns: columns.map(({ key, header }) => ({ key, header })), escape_formulas: true }), output);
}
