// A plain-text table for the operator's terminal: a header row and every column padded to its
// widest value, so the columns line up however long a portal's name or however big a number is.
// Widths count UTF-16 code units; names with wide characters (CJK, emoji) may still shift a little.

const COLUMN_GAP = '  ';

/** The lines of the table, header first. A cell's line breaks and tabs become spaces so a row stays one line. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replace(/\s+/g, ' ')));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) =>
    widths
      .map((width, column) => (row[column] ?? '').padEnd(width))
      .join(COLUMN_GAP)
      .trimEnd(),
  );
}
