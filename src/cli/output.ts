import Table from 'cli-table3';

/** Where command output goes; injected so tests can capture it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Prints rows as a table for people, or the raw value as JSON for scripts. */
export function print(
  output: Output,
  json: boolean,
  value: unknown,
  table: () => { head: string[]; rows: unknown[][] },
) {
  if (json) {
    output.out(JSON.stringify(value, jsonReplacer, 2));
    return;
  }
  const { head, rows } = table();
  if (rows.length === 0) {
    output.out('(none)');
    return;
  }
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map(formatCell));
  output.out(t.toString());
}

/** Table cells: blanks for missing values, numbers to a readable precision (JSON keeps them exact). */
function formatCell(cell: unknown): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'number' && !Number.isInteger(cell) && Number.isFinite(cell))
    return String(Number(cell.toPrecision(5)));
  return String(cell);
}

/** JSON.stringify loses NaN and ±Infinity; keep them as strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

export function formatTime(ms: number | undefined): string {
  return ms === undefined
    ? ''
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

export function formatDuration(start: number, end: number | undefined): string {
  if (end === undefined) return '';
  const seconds = (end - start) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)}s` : `${(seconds / 60).toFixed(1)}m`;
}
