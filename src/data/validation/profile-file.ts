/**
 * `profileFile(path)`: one streaming pass over a CSV or Parquet file into a `DatasetProfile`.
 * Memory is bounded by the limits per column, never by the number of rows.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { invalidArgument, notFound } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { type AccumulatorLimits, ColumnAccumulator } from './column-accumulator.js';
import { scanCsv } from './csv-source.js';
import { scanParquet } from './parquet-source.js';
import type { DataFormat, DatasetProfile } from './types.js';

export interface ProfileOptions extends Partial<AccumulatorLimits> {
  /** Default: from the extension (.parquet/.pq → parquet, anything else → csv). */
  format?: DataFormat;
  /** Seed of the KLL sketches' coin flips, so a profile is reproducible. */
  seed?: number;
  /** Histogram edges per column (another profile's, so two histograms can be compared bin by bin). */
  histogramEdges?: ReadonlyMap<string, readonly number[]>;
}

export const DEFAULT_LIMITS: Readonly<AccumulatorLimits> = Object.freeze({
  exactQuantileLimit: 100_000,
  exactDistinctLimit: 10_000,
  topValues: 50,
  histogramBins: 20,
});

/** Profiles a CSV or Parquet file in one streaming pass. */
export async function profileFile(path: string, options: ProfileOptions = {}): Promise<DatasetProfile> {
  const bytes = await fileSize(path);
  const format = options.format ?? formatOf(path);
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  const rng = createRng(options.seed ?? 0x05b7e1);
  let accumulators: ColumnAccumulator[] = [];
  const columns = (names: string[]) => {
    accumulators = names.map((name) => new ColumnAccumulator(name, rng, limits));
    return accumulators;
  };
  const rows = format === 'parquet' ? await scanParquet(path, columns) : await scanCsv(path, columns);
  return {
    format: 'osprey.profile/v1',
    source: { path, format, bytes },
    rows,
    columns: accumulators.map((a) => a.profile(rows, options.histogramEdges?.get(a.name))),
  };
}

/** The format implied by a file name. */
export function formatOf(path: string): DataFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.parquet' || ext === '.pq' ? 'parquet' : 'csv';
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw invalidArgument(`${path} is not a file`);
    return info.size;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw notFound(`no such file: ${path}`);
    throw error;
  }
}

function definedOnly(options: ProfileOptions): Partial<AccumulatorLimits> {
  const limits: Partial<AccumulatorLimits> = {};
  for (const key of ['exactQuantileLimit', 'exactDistinctLimit', 'topValues', 'histogramBins'] as const) {
    const value = options[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
