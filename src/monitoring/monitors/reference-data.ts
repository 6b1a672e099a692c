/**
 * The monitor's reference rows, read from a CSV with a header row (a local file or a `runs:/…`
 * artifact; the caller fetches the bytes). Cells: empty, `NaN` and `±Infinity` are missing,
 * numbers are numbers, anything else is a category.
 */
import { parse } from 'csv-parse/sync';
import { invalidArgument } from '../../errors/index.js';
import type { CellValue } from '../types.js';
import type { FeatureSpecOfMonitor } from './monitor-spec.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** One CSV cell as a monitor value. */
export function csvCell(text: string): CellValue {
  const t = text.trim();
  if (t === '' || NON_FINITE.test(t)) return null;
  return NUMBER.test(t) ? Number(t) : t;
}

/** Reference rows aligned with `features` (CSV column = `feature.column ?? feature.name`). */
export function parseReferenceCsv(
  text: string,
  features: readonly FeatureSpecOfMonitor[],
  source = 'reference',
): CellValue[][] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw invalidArgument(`${source} is not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header || records.length < 2)
    throw invalidArgument(`${source} needs a header row and at least one data row`);
  const indices = features.map((f) => {
    const column = f.column ?? f.name;
    const index = header.indexOf(column);
    if (index < 0)
      throw invalidArgument(`${source} has no column "${column}" (columns: ${header.join(', ')})`);
    return index;
  });
  return records.slice(1).map((record) => indices.map((i) => csvCell(record[i] ?? '')));
}
