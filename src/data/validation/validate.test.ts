import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { type DataSchema, formatSchema, inferSchema, parseSchema } from './data-schema.js';
import { profileFile } from './profile-file.js';
import type { DatasetProfile } from './types.js';
import { validateFile } from './validation-files.js';

type Row = { age: string; income: string; city: string; member: string };

/** n rows of a small customer table; `change` edits each row (drift, bad values, …). */
function table(n: number, seed: number, change: (row: Row, i: number) => Row = (r) => r): Row[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) =>
    change(
      {
        age: String(18 + rng.int(60)),
        income: (50_000 + 15_000 * rng.normal()).toFixed(2),
        city: ['Lisbon', 'Porto', 'Faro'][rng.int(3)] as string,
        member: rng.next() < 0.5 ? 'true' : 'false',
      },
      i,
    ),
  );
}

function csv(rows: readonly Record<string, string>[]): string {
  const names = Object.keys(rows[0] ?? {});
  return `${names.join(',')}\n${rows.map((r) => names.map((k) => r[k]).join(',')).join('\n')}\n`;
}

describe('inferSchema and validateFile', () => {
  let dir: string;
  let schema: DataSchema;
  let reference: DatasetProfile;
  const file = (name: string, rows: readonly Record<string, string>[]) => {
    const path = join(dir, name);
    writeFileSync(path, csv(rows));
    return path;
  };
  const kinds = async (path: string) =>
    (await validateFile(path, schema, { reference })).anomalies.map((a) => `${a.column}:${a.kind}`).sort();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'osprey-validate-'));
    reference = await profileFile(file('train.csv', table(2000, 1)));
    schema = parseSchema(formatSchema(inferSchema(reference)));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('drafts a schema with types, ranges, categories and drift thresholds that round-trips through YAML', () => {
    const byName = new Map(schema.columns.map((c) => [c.name, c]));
    assert.deepEqual(byName.get('age'), {
      name: 'age',
      type: 'int',
      required: true,
      maxMissingFraction: 0,
      minDomainMass: 1,
      min: 12,
      max: 83,
      drift: { jensenShannon: 0.1 },
    });
    assert.deepEqual(byName.get('city')?.categories, ['Faro', 'Lisbon', 'Porto']);
    assert.deepEqual(byName.get('member')?.categories, ['false', 'true']);
    assert.equal(byName.get('income')?.type, 'float');
  });

  it('finds nothing in a fresh sample of the same distribution', async () => {
    assert.deepEqual(await kinds(file('same.csv', table(2000, 2))), []);
  });

  it('finds each kind of anomaly', async () => {
    const cases: [string, Record<string, string>[], string[]][] = [
      ['missing column', table(500, 3).map(({ city: _c, ...r }) => r), ['city:missing-column']],
      ['extra column', table(500, 3).map((r) => ({ ...r, note: 'x' })), ['note:extra-column']],
      [
        'type mismatch',
        table(500, 3, (r, i) => ({ ...r, age: i === 7 ? 'forty' : r.age })),
        ['age:type-mismatch'],
      ],
      ['out of range', table(500, 3, (r, i) => ({ ...r, age: i === 9 ? '130' : r.age })), ['age:above-max']],
      ['below range', table(500, 3, (r, i) => ({ ...r, age: i === 9 ? '3' : r.age })), ['age:below-min']],
      [
        'unexpected category',
        table(500, 3, (r, i) => ({ ...r, city: i % 50 === 0 ? 'Braga' : r.city })),
        ['city:unexpected-category'],
      ],
      [
        'missing rate',
        table(500, 3, (r, i) => ({ ...r, income: i % 10 === 0 ? '' : r.income })),
        ['income:missing-rate'],
      ],
      ['all missing', table(500, 3, (r) => ({ ...r, age: '' })), ['age:missing-rate']],
      [
        'categorical drift',
        table(2000, 3, (r, i) => ({ ...r, city: i % 3 === 0 ? r.city : 'Lisbon' })),
        ['city:categorical-drift'],
      ],
      [
        'numeric drift',
        table(2000, 3, (r) => ({ ...r, income: (Number(r.income) * 0.4 + 30_000).toFixed(2) })),
        ['income:numeric-drift'],
      ],
    ];
    for (const [name, rows, expected] of cases)
      assert.deepEqual(await kinds(file(`${name.replace(/ /g, '-')}.csv`, rows)), expected, name);
  });

  it('describes anomalies with TFDV names, the measured value and the bound', async () => {
    const rows = table(2000, 4, (r, i) => ({
      ...r,
      city: i % 3 === 0 ? r.city : 'Lisbon',
      age: i === 0 ? '99' : r.age,
    }));
    const { anomalies } = await validateFile(file('both.csv', rows), schema, { reference });
    const byKind = new Map(anomalies.map((a) => [a.kind, a]));
    const drift = byKind.get('categorical-drift');
    assert.equal(drift?.tfdvType, 'COMPARATOR_L_INFTY_HIGH');
    assert.match(drift?.description ?? '', /the value with the largest change is 'Lisbon'/);
    assert.ok((drift?.value as number) > 0.3 && drift?.bound === 0.1);
    const range = byKind.get('above-max');
    assert.equal(range?.tfdvType, 'INT_TYPE_BIG_INT');
    assert.deepEqual([range?.value, range?.bound], [99, 83]);
  });

  it('allows missing values up to the bound and extra columns when the schema says so', async () => {
    const relaxed = parseSchema(
      formatSchema({
        ...schema,
        allowExtraColumns: true,
        columns: schema.columns.map((c) => (c.name === 'income' ? { ...c, maxMissingFraction: 0.2 } : c)),
      }),
    );
    const rows = table(
      500,
      5,
      (r, i) => ({ ...r, income: i % 10 === 0 ? 'NA' : r.income, extra: '1' }) as Row,
    );
    const { anomalies } = await validateFile(file('relaxed.csv', rows), relaxed);
    assert.deepEqual(anomalies, []);
  });
});

describe('parseSchema', () => {
  const bad: [string, RegExp][] = [
    ['version: 1\ncolumns: [\n', /not valid YAML/],
    ['columns: []', /version/],
    ['version: 1\ncolumns:\n  - name: a\n    type: decimal\n', /columns\.0\.type/],
    ['version: 1\ncolumns:\n  - name: a\n    type: int\n    min: 5\n    max: 1\n', /min 5 > max 1/],
    ['version: 1\ncolumns:\n  - {name: a, type: int}\n  - {name: a, type: int}\n', /listed twice/],
    ['version: 1\ncolumns:\n  - {name: a, type: int, colour: red}\n', /colour/],
  ];
  for (const [text, message] of bad)
    it(`rejects ${JSON.stringify(text.slice(0, 40))}`, () => {
      assert.throws(
        () => parseSchema(text, 'schema.yaml'),
        (e) => isOspreyError(e) && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
      );
    });
});
