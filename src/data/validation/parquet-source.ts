/**
 * Reads a Parquet file with hyparquet (pure JavaScript) one row group at a time, so memory
 * holds one row group's columns however many row groups the file has. Column types come from
 * the file's schema, not from guessing.
 */
import { open } from 'node:fs/promises';
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaTree,
} from 'hyparquet';
import { invalidArgument } from '../../errors/index.js';
import type { ColumnAccumulator } from './column-accumulator.js';
import type { ColumnType } from './types.js';

/** Reads `path`, creates one accumulator per top-level column and feeds it; resolves to the row count. */
export async function scanParquet(
  path: string,
  columns: (names: string[]) => ColumnAccumulator[],
): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const file = fileBuffer(handle, (await handle.stat()).size);
    const metadata = await readMetadata(path, file);
    const fields = parquetSchema(metadata).children;
    const accumulators = columns(fields.map((f) => f.element.name));
    const byName = new Map(
      accumulators.map((a, i) => [a.name, { a, type: columnType(fields[i] as SchemaTree) }]),
    );
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        onChunk: ({ columnName, columnData, rowStart: from, rowEnd: to }) => {
          const target = byName.get(columnName);
          if (target === undefined) return;
          // chunks may reach outside the requested rows; count each row once
          const first = Math.max(rowStart, from);
          const last = Math.min(rowEnd, to);
          for (let r = first; r < last; r++) target.a.addValue(columnData[r - from], target.type);
        },
      }).catch((error: unknown) => {
        throw invalidArgument(`${path}: unreadable Parquet row group at row ${rowStart}: ${message(error)}`);
      });
      rowStart = rowEnd;
    }
    return rowStart;
  } finally {
    await handle.close();
  }
}

/** An AsyncBuffer over an open file: hyparquet asks for byte ranges (footer, then column chunks). */
function fileBuffer(handle: Awaited<ReturnType<typeof open>>, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size) {
      const bytes = new Uint8Array(end - start);
      await handle.read(bytes, 0, bytes.length, start);
      return bytes.buffer;
    },
  };
}

async function readMetadata(path: string, file: AsyncBuffer): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(file);
  } catch (error) {
    throw invalidArgument(`${path}: not a readable Parquet file: ${message(error)}`);
  }
}

/** The profile type of a top-level Parquet column from its physical and logical types. */
function columnType(field: SchemaTree): ColumnType {
  const e = field.element;
  if (field.children.length > 0) return 'string';
  const logical = e.logical_type?.type;
  if (logical === 'TIMESTAMP' || logical === 'DATE' || e.converted_type === 'DATE') return 'datetime';
  if (e.converted_type === 'TIMESTAMP_MILLIS' || e.converted_type === 'TIMESTAMP_MICROS') return 'datetime';
  if (logical === 'DECIMAL' || e.converted_type === 'DECIMAL') return 'float';
  switch (e.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT96':
      return 'datetime';
    case 'INT32':
    case 'INT64':
      return 'int';
    case 'FLOAT':
    case 'DOUBLE':
      return 'float';
    default:
      return 'string';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
