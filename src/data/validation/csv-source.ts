/**
 * Streams a CSV file (RFC 4180 quoting, a header row, UTF-8 with an optional BOM) through
 * csv-parse, a record at a time: the stream's back-pressure keeps only a few chunks of the file
 * in memory whatever its size.
 */
import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { invalidArgument } from '../../errors/index.js';
import type { ColumnAccumulator } from './column-accumulator.js';

/** Reads `path`, creates one accumulator per header column and feeds it; resolves to the row count. */
export async function scanCsv(
  path: string,
  columns: (names: string[]) => ColumnAccumulator[],
): Promise<number> {
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    parse({ bom: true, skip_empty_lines: true }),
  );
  let accumulators: ColumnAccumulator[] | undefined;
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (accumulators === undefined) {
        accumulators = columns(headerNames(path, record));
        continue;
      }
      for (let i = 0; i < record.length; i++)
        (accumulators[i] as ColumnAccumulator).addText(record[i] as string);
      rows += 1;
    }
  } catch (error) {
    throw csvError(path, error, accumulators?.length);
  }
  if (accumulators === undefined) throw invalidArgument(`${path}: empty CSV file (no header row)`);
  return rows;
}

function headerNames(path: string, record: string[]): string[] {
  const names = record.map((name, i) => (name.trim() === '' ? `column_${i + 1}` : name));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw invalidArgument(`${path}: duplicate column name '${name}' in the header`);
    seen.add(name);
  }
  return names;
}

/** csv-parse's errors (ragged rows, unclosed quotes, …) as INVALID_ARGUMENT naming the file and line. */
function csvError(path: string, error: unknown, width: number | undefined): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  const record = Array.isArray(error.record) ? error.record : undefined;
  const where = line === undefined ? path : `${path}: line ${line}`;
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && record !== undefined)
    return invalidArgument(
      `${where}: ragged row: ${record.length} fields where the header has ${String(width ?? headerWidth(error.message))}`,
      { line, code: error.code },
    );
  return invalidArgument(`${where}: unreadable CSV: ${error.message}`, { line, code: error.code });
}

/** csv-parse may fail on a small file before it hands over the header; its message names the width. */
function headerWidth(message: string): string {
  return /expect (\d+)/.exec(message)?.[1] ?? '?';
}
