import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { createRng } from '../../src/random/index.js';
import { runCli } from '../support/run-cli.js';

/** A CSV of `n` rows: an id, a normal amount, a three-valued plan; `drift` moves amount and plan. */
function dataset(n: number, seed: number, drift = false): string {
  const rng = createRng(seed);
  const lines = ['id,amount,plan'];
  for (let i = 0; i < n; i++) {
    const amount = drift ? 130 + 5 * rng.normal() : 100 + 20 * rng.normal();
    const plan = drift && i % 2 === 0 ? 'pro' : (['free', 'pro', 'team'][rng.int(3)] as string);
    lines.push(`${i},${amount.toFixed(3)},${plan}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('osprey data profile | schema infer | validate', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'osprey-dv-cli-'));
    writeFileSync(path('train.csv'), dataset(3000, 1));
    writeFileSync(path('fresh.csv'), dataset(1500, 2));
    writeFileSync(path('drifted.csv'), dataset(1500, 3, true));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('profiles a file as a table, as JSON, and into a reference file', async () => {
    const table = await runCli(['data', 'profile', path('train.csv')]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /3000 rows, 3 columns/);
    assert.match(table.stdout, /amount\s*│ float/);
    const json = await runCli([
      'data',
      'profile',
      path('train.csv'),
      '--json',
      '-o',
      path('train.profile.json'),
    ]);
    assert.equal(json.code, 0, json.stderr);
    const printed = JSON.parse(json.stdout);
    assert.equal(printed.rows, 3000);
    assert.deepEqual(
      printed.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`),
      ['id:int', 'amount:float', 'plan:string'],
    );
    assert.deepEqual(JSON.parse(readFileSync(path('train.profile.json'), 'utf8')), printed);
  });

  it('infers a schema, then passes a fresh sample (exit 0) and fails a drifted one (exit 1)', async () => {
    const infer = await runCli(['data', 'schema', 'infer', path('train.csv'), '-o', path('schema.yaml')]);
    assert.equal(infer.code, 0, infer.stderr);
    const schema = parseYaml(readFileSync(path('schema.yaml'), 'utf8'));
    assert.deepEqual(schema.columns[2].categories, ['free', 'pro', 'team']);

    const ok = await runCli([
      'data',
      'validate',
      path('fresh.csv'),
      '--schema',
      path('schema.yaml'),
      '--reference',
      path('train.profile.json'),
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /1500 rows, no anomalies/);

    const bad = await runCli([
      'data',
      'validate',
      path('drifted.csv'),
      '--schema',
      path('schema.yaml'),
      '--reference',
      path('train.profile.json'),
      '--json',
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /anomalies in/);
    const report = JSON.parse(bad.stdout);
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.anomalies.map((a: { column: string; kind: string }) => `${a.column}:${a.kind}`).sort(),
      ['amount:numeric-drift', 'plan:categorical-drift'],
    );
  });

  it('prints a table of anomalies for people', async () => {
    writeFileSync(
      path('schema-strict.yaml'),
      'version: 1\ncolumns:\n  - {name: id, type: int, max: 10}\n  - {name: amount, type: int}\n  - {name: plan, type: string}\n  - {name: region, type: string}\n',
    );
    const r = await runCli(['data', 'validate', path('fresh.csv'), '-s', path('schema-strict.yaml')]);
    assert.equal(r.code, 1);
    for (const word of ['INT_TYPE_BIG_INT', 'UNEXPECTED_DATA_TYPE', 'SCHEMA_MISSING_COLUMN'])
      assert.match(r.stdout, new RegExp(word));
  });

  it('fails clearly on a missing file, a ragged CSV and a bad schema', async () => {
    const missing = await runCli(['data', 'profile', path('nope.csv')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file: .*nope\.csv \(NOT_FOUND\)/);

    writeFileSync(path('ragged.csv'), 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    const ragged = await runCli(['data', 'profile', path('ragged.csv')]);
    assert.equal(ragged.code, 1);
    assert.match(ragged.stderr, /line 3: ragged row: 2 fields where the header has 3/);

    writeFileSync(path('bad.yaml'), 'version: 1\ncolumns:\n  - name: id\n    type: integer\n');
    const badSchema = await runCli(['data', 'validate', path('fresh.csv'), '--schema', path('bad.yaml')]);
    assert.equal(badSchema.code, 1);
    assert.match(badSchema.stderr, /bad\.yaml: not a valid data schema: columns\.0\.type/);

    const noSchema = await runCli(['data', 'validate', path('fresh.csv'), '--schema', path('absent.yaml')]);
    assert.equal(noSchema.code, 1);
    assert.match(noSchema.stderr, /schema not found/);

    const noFlag = await runCli(['data', 'validate', path('fresh.csv')]);
    assert.equal(noFlag.code, 2);
  });
});
