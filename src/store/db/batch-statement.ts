import { CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectProfile } from './dialect-profile.js';
import type { Schema } from './schema.js';

/** SQL types a batch column can have. */
export type BatchColumnType = 'text' | 'double precision' | 'bigint' | 'integer';

export interface BatchColumn {
  readonly name: string;
  readonly type: BatchColumnType;
  /** One value for every row (the run id): bound once where the dialect allows it. */
  readonly shared?: boolean;
}

export interface BatchStatementSpec {
  readonly table: string;
  readonly columns: readonly BatchColumn[];
  /** Insert only the rows meeting this condition; it sees the shared columns' values by name. */
  readonly where?: (shared: Readonly<Record<string, RawBuilder<unknown>>>) => RawBuilder<unknown>;
  /** Raw SQL after the rows, e.g. an ON CONFLICT clause (no parameters). */
  readonly suffix?: string;
}

/** An INSERT of many rows whose text is compiled once (per row count for a VALUES list), never per call. */
export interface BatchStatement {
  /**
   * Inserts `rowCount` rows: `values[c]` is column c's array of values, or its single value when the
   * column is shared. Returns how many rows the database reports as changed.
   */
  execute(executor: Kysely<Schema>, values: readonly unknown[], rowCount: number): Promise<number>;
}

interface Compiled {
  readonly sql: string;
  /** Per parameter: the column it comes from, and (VALUES list) the row, -1 for a shared column's value. */
  readonly columnOf: Int32Array;
  readonly rowOf: Int32Array;
}

/** A placeholder value that stands for a parameter while the text is compiled. */
class Slot {
  constructor(
    readonly column: number,
    readonly row: number,
  ) {}
}

/** Row counts whose VALUES-list text is kept (batches of a training loop repeat a few sizes). */
const CACHED_ROW_COUNTS = 32;

/** Builds a batch INSERT in the dialect's batch style (see `BatchRowsStyle` in store/db). */
export function createBatchStatement(
  db: Kysely<Schema>,
  profile: DialectProfile,
  spec: BatchStatementSpec,
): BatchStatement {
  const { columns } = spec;
  const quoted = (name: string) => `"${name}"`;
  const names = sql.raw(columns.map((c) => quoted(c.name)).join(', '));
  const head = sql`insert into ${sql.raw(spec.table)} (${names})`;
  const suffix = sql.raw(spec.suffix ?? '');
  const sharedSlots = (row: number) =>
    Object.fromEntries(
      columns.flatMap((c, i) => (c.shared ? [[c.name, sql`${new Slot(i, row)}`]] : [])),
    ) as Record<string, RawBuilder<unknown>>;

  function compile(query: RawBuilder<unknown>): Compiled {
    const compiled = query.compile(db);
    const slots = compiled.parameters as readonly Slot[];
    return {
      sql: compiled.sql,
      columnOf: Int32Array.from(slots, (s) => s.column),
      rowOf: Int32Array.from(slots, (s) => s.row),
    };
  }

  if (profile.batchRows === 'column-arrays') {
    // insert … select <shared params>, u.* from unnest(<one array per column>) [where …]: one text for all.
    const arrays = columns.filter((c) => !c.shared);
    const selected = columns.map((c, i) =>
      c.shared ? sql`cast(${new Slot(i, -1)} as ${sql.raw(c.type)})` : sql.raw(`u.${quoted(c.name)}`),
    );
    const unnest = columns.flatMap((c, i) =>
      c.shared ? [] : [sql`cast(${new Slot(i, -1)} as ${sql.raw(c.type)}[])`],
    );
    const alias = sql.raw(`u(${arrays.map((c) => quoted(c.name)).join(', ')})`);
    const where = spec.where ? sql` where ${spec.where(sharedSlots(-1))}` : sql``;
    const compiled = compile(
      sql`${head} select ${sql.join(selected)} from unnest(${sql.join(unnest)}) as ${alias}${where} ${suffix}`,
    );
    return {
      async execute(executor, values, rowCount) {
        if (rowCount === 0) return 0;
        const parameters = Array.from(compiled.columnOf, (c) =>
          columns[c]!.shared ? values[c] : arrayLiteral(values[c] as readonly unknown[], rowCount),
        );
        return changed(await executor.executeQuery(CompiledQuery.raw(compiled.sql, parameters)));
      },
    };
  }

  // insert … values (…), (…) or, with a condition, insert … select * from (values …) where …
  const texts = new Map<number, Compiled>();
  const textFor = (rows: number) => {
    let compiled = texts.get(rows);
    if (!compiled) {
      const tuples = Array.from(
        { length: rows },
        (_, r) => sql`(${sql.join(columns.map((_, c) => sql`${new Slot(c, r)}`))})`,
      );
      const list = sql`values ${sql.join(tuples)}`;
      compiled = compile(
        spec.where
          ? sql`${head} select * from (${list}) where ${spec.where(sharedSlots(0))} ${suffix}`
          : sql`${head} ${list} ${suffix}`,
      );
      if (texts.size >= CACHED_ROW_COUNTS) texts.delete(texts.keys().next().value!);
      texts.set(rows, compiled);
    }
    return compiled;
  };
  const maxRows = Math.max(1, Math.floor((profile.maxParameters - 8) / columns.length));
  return {
    async execute(executor, values, rowCount) {
      let total = 0;
      for (let start = 0; start < rowCount; start += maxRows) {
        const rows = Math.min(maxRows, rowCount - start);
        const { sql: text, columnOf, rowOf } = textFor(rows);
        const parameters = new Array<unknown>(columnOf.length);
        for (let p = 0; p < parameters.length; p++) {
          const c = columnOf[p]!;
          parameters[p] = columns[c]!.shared
            ? values[c]
            : (values[c] as readonly unknown[])[start + rowOf[p]!];
        }
        total += changed(await executor.executeQuery(CompiledQuery.raw(text, parameters)));
      }
      return total;
    },
  };
}

function changed(result: { numAffectedRows?: bigint }): number {
  return Number(result.numAffectedRows ?? 0);
}

/**
 * A PostgreSQL array literal of the first `count` values: `{"a","b"}`, `{1.5,NULL,Infinity}`. Built here
 * rather than by the driver (which quotes and escapes every element through several calls) because it is
 * the whole per-row cost of a batch; non-finite numbers keep their names, which float8 parses.
 */
export function arrayLiteral(values: readonly unknown[], count: number): string {
  let out = '{';
  for (let i = 0; i < count; i++) {
    const value = values[i];
    if (i > 0) out += ',';
    if (value === null || value === undefined) out += 'NULL';
    else if (typeof value === 'string') out += `"${value.replace(/["\\]/g, '\\$&')}"`;
    else out += String(value);
  }
  return `${out}}`;
}
