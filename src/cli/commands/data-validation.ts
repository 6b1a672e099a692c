import type { Command } from 'commander';
import type { Anomaly, ColumnProfile, DataFormat } from '../../data/index.js';
import { invalidArgument } from '../../errors/index.js';
import { globalOptions } from '../context.js';
import { jsonReplacer, type Output, print } from '../output.js';

const FORMATS: readonly DataFormat[] = ['csv', 'parquet'];

function formatFlag(value: string | undefined): DataFormat | undefined {
  if (value === undefined) return undefined;
  if (!(FORMATS as readonly string[]).includes(value))
    throw invalidArgument(`--format must be one of ${FORMATS.join(', ')}, got ${value}`);
  return value as DataFormat;
}

const loadData = () => import('../../data/index.js');

/** `osprey data profile | schema infer | validate`: TFDV-style statistics, schemas and anomalies. */
export function dataValidationCommands(data: Command, output: Output): void {
  data
    .command('profile <file>')
    .description('per-column statistics of a CSV or Parquet file, streamed in bounded memory')
    .option('-o, --output <profile.json>', 'also write the profile as JSON (a reference for validate)')
    .option('--format <format>', 'csv or parquet (default: from the extension)')
    .action(async (file: string, flags: { output?: string; format?: string }, command: Command) => {
      const { profileFile, writeTextFile } = await loadData();
      const profile = await profileFile(file, { format: formatFlag(flags.format) });
      if (flags.output !== undefined) await writeTextFile(flags.output, toJson(profile));
      if (globalOptions(command).json) return output.out(toJson(profile));
      output.out(`${profile.source.path}: ${profile.rows} rows, ${profile.columns.length} columns`);
      print(output, false, profile.columns, () => ({
        head: [
          'column',
          'type',
          'count',
          'missing',
          'distinct',
          'min',
          'max',
          'mean',
          'std',
          'median',
          'top',
        ],
        rows: profile.columns.map(profileRow),
      }));
      if (flags.output !== undefined) output.out(`wrote ${flags.output}`);
    });

  data
    .command('schema')
    .description('data schemas for validate')
    .command('infer <file>')
    .description('draft a schema (YAML) from a file: types, ranges, categories, missing shares')
    .option('-o, --output <schema.yaml>', 'write the schema here (default: print it)')
    .option('--format <format>', 'csv or parquet (default: from the extension)')
    .option('--max-categories <n>', 'string columns with at most n values get a category list', '50')
    .action(async (file: string, flags: { output?: string; format?: string; maxCategories: string }) => {
      const { profileFile, inferSchema, formatSchema, writeTextFile } = await loadData();
      const maxCategories = Number(flags.maxCategories);
      if (!Number.isInteger(maxCategories) || maxCategories < 0)
        throw invalidArgument(`--max-categories must be a non-negative integer, got ${flags.maxCategories}`);
      const profile = await profileFile(file, { format: formatFlag(flags.format) });
      const yaml = formatSchema(inferSchema(profile, { maxCategories }));
      if (flags.output === undefined) return output.out(yaml.trimEnd());
      await writeTextFile(flags.output, yaml);
      output.out(`wrote ${flags.output} (${profile.columns.length} columns); review it, then commit it`);
    });

  data
    .command('validate <file>')
    .description('check a file against a schema (and a reference profile for drift); exit 1 on anomalies')
    .option('-s, --schema <schema.yaml>', 'the schema to check against (required)')
    .option('-r, --reference <profile.json>', 'a reference profile (osprey data profile -o) for drift')
    .option('--format <format>', 'csv or parquet (default: from the extension)')
    .action(
      async (
        file: string,
        flags: { schema?: string; reference?: string; format?: string },
        command: Command,
      ) => {
        // checked here: commander's own required-option error would exit the process
        if (flags.schema === undefined)
          throw Object.assign(new Error('--schema <schema.yaml> is required'), { exitCode: 2 });
        const { readSchemaFile, readProfileFile, validateFile } = await loadData();
        const schema = await readSchemaFile(flags.schema);
        const reference = flags.reference === undefined ? undefined : await readProfileFile(flags.reference);
        const { profile, anomalies } = await validateFile(file, schema, {
          reference,
          format: formatFlag(flags.format),
        });
        if (globalOptions(command).json)
          output.out(toJson({ file, rows: profile.rows, valid: anomalies.length === 0, anomalies }));
        else printAnomalies(output, file, profile.rows, anomalies);
        if (anomalies.length > 0)
          throw Object.assign(new Error(`${anomalies.length} anomalies in ${file}`), { exitCode: 1 });
      },
    );
}

function printAnomalies(output: Output, file: string, rows: number, anomalies: Anomaly[]) {
  if (anomalies.length === 0) return output.out(`${file}: ${rows} rows, no anomalies`);
  print(output, false, anomalies, () => ({
    head: ['column', 'anomaly', 'TFDV type', 'description'],
    rows: anomalies.map((a) => [a.column, a.kind, a.tfdvType, a.description]),
  }));
}

function profileRow(c: ColumnProfile): unknown[] {
  const n = c.numeric;
  const median = n?.quantiles.find((q) => q.q === 0.5)?.value;
  const top = c.topValues
    .slice(0, 3)
    .map((t) => `${t.value} (${t.count})`)
    .join(', ');
  return [
    c.name,
    c.type,
    c.count,
    c.missing,
    `${c.distinct.exact ? '' : '≈'}${c.distinct.value}`,
    n?.min ?? c.datetime?.min,
    n?.max ?? c.datetime?.max,
    n?.mean,
    n?.std,
    median,
    top,
  ];
}

const toJson = (value: unknown) => JSON.stringify(value, jsonReplacer, 2);
