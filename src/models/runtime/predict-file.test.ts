import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOsprey, type Osprey } from '../../app/index.js';
import { createEmbeddedClient, type TrackingClient } from '../../client/index.js';
import { resolveConfig } from '../../config/index.js';
import { OspreyError } from '../../errors/index.js';
import { logModel, writeModelPackage } from '../package/index.js';
import { predictFile } from './index.js';
import { lrProbabilities, seededRows, writeLrPackage } from './test-support/onnx-fixtures.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);
const argmax = (v: number[]) => v.indexOf(Math.max(...v));

// A js model (cheap to load) for the input formats: y = 2·x1 + x2, plus a label.
const DOUBLER = `export default {
  predict: ({ input }) => {
    const n = input.shape[0];
    const y = Array.from({ length: n }, (_, i) => 2 * input.data[2 * i] + input.data[2 * i + 1]);
    return {
      y: { datatype: 'FP64', shape: [n], data: y },
      big: { datatype: 'BOOL', shape: [n], data: y.map((v) => v > 10) },
    };
  },
};`;

describe('predictFile (osprey models predict)', () => {
  let home: string;
  let osprey: Osprey;
  let client: TrackingClient;
  let doubler: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'osprey-predict-'));
    osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }));
    client = createEmbeddedClient(osprey);
    doubler = (
      await writeModelPackage(join(home, 'doubler'), {
        flavor: 'js',
        files: { 'model.mjs': DOUBLER },
        signature: {
          inputs: [{ name: 'input', datatype: 'FP64', shape: [-1, 2], columns: ['x1', 'x2'] }],
          outputs: [
            { name: 'y', datatype: 'FP64', shape: [-1] },
            { name: 'big', datatype: 'BOOL', shape: [-1] },
          ],
        },
      })
    ).dir;
  });
  after(async () => {
    await osprey.close();
    await rm(home, { recursive: true, force: true });
  });

  it('predicts a CSV file with an ONNX model logged to a run, by runs:/ URI', async () => {
    const { runId } = (await client.createRun({})).info;
    const { dir } = await writeLrPackage(join(home, 'lr'));
    const { uri } = await logModel(client, runId, 'model', dir);
    const rows = seededRows(6, 3, 21);
    const csv = `c,a,b\n${rows.map(([a, b, c]) => `${c},${a},${b}`).join('\n')}\n`;
    await writeFile(join(home, 'in.csv'), csv);
    const outputPath = join(home, 'out.json');
    const result = await predictFile(
      { uri, inputPath: join(home, 'in.csv'), outputPath },
      { cacheDir: join(home, 'cache'), tracking: client },
    );
    assert.equal(result.count, 6);
    assert.equal(result.model.runId, runId);
    const written = JSON.parse(await readFile(outputPath, 'utf8')) as {
      predictions: { label: number; probabilities: number[] }[];
    };
    const expected = lrProbabilities(rows);
    written.predictions.forEach((p, i) => {
      assert.equal(p.label, argmax(expected[i]!));
      for (const [k, v] of p.probabilities.entries()) assert.ok(Math.abs(v - expected[i]![k]!) < 1e-5);
    });
  });

  it('reads JSON rows, MLflow bodies and OIP requests, printing when there is no output file', async () => {
    const inputs: [string, unknown][] = [
      [
        'rows.json',
        [
          { x1: 1, x2: 2 },
          { x1: 5, x2: 3 },
        ],
      ],
      [
        'split.json',
        {
          dataframe_split: {
            columns: ['x2', 'x1'],
            data: [
              [2, 1],
              [3, 5],
            ],
          },
        },
      ],
      [
        'records.json',
        {
          dataframe_records: [
            { x1: 1, x2: 2 },
            { x1: 5, x2: 3 },
          ],
        },
      ],
      [
        'instances.json',
        {
          instances: [
            { x1: 1, x2: 2 },
            { x1: 5, x2: 3 },
          ],
        },
      ],
    ];
    for (const [name, body] of inputs) {
      await writeFile(join(home, name), JSON.stringify(body));
      const printed: string[] = [];
      const result = await predictFile(
        { uri: doubler, inputPath: join(home, name) },
        { cacheDir: join(home, 'cache'), print: (t) => printed.push(t) },
      );
      const expected = {
        predictions: [
          { y: 4, big: false },
          { y: 13, big: true },
        ],
      };
      assert.deepEqual(result.output, expected, name);
      assert.deepEqual(JSON.parse(printed.join('')), expected, name);
    }
    const oip = { inputs: [{ name: 'input', datatype: 'FP64', shape: [1, 2], data: [[4, 3]] }] };
    await writeFile(join(home, 'oip.json'), JSON.stringify(oip));
    const result = await predictFile(
      { uri: doubler, inputPath: join(home, 'oip.json') },
      { cacheDir: join(home, 'cache') },
    );
    assert.deepEqual(result.output, {
      outputs: [
        { name: 'y', datatype: 'FP64', shape: [1], data: [11] },
        { name: 'big', datatype: 'BOOL', shape: [1], data: [true] },
      ],
    });
  });

  it('refuses unreadable inputs with a clear message', async () => {
    const deps = { cacheDir: join(home, 'cache') };
    await writeFile(join(home, 'x.txt'), '1');
    await writeFile(join(home, 'bad.json'), '{"rows": 1}');
    await writeFile(join(home, 'broken.json'), '{');
    await writeFile(join(home, 'cols.csv'), 'x1\n1\n');
    await assert.rejects(
      predictFile({ uri: doubler, inputPath: join(home, 'x.txt') }, deps),
      invalid(/must be \.csv or \.json/),
    );
    await assert.rejects(
      predictFile({ uri: doubler, inputPath: join(home, 'bad.json') }, deps),
      invalid(/unrecognised JSON input/),
    );
    await assert.rejects(
      predictFile({ uri: doubler, inputPath: join(home, 'broken.json') }, deps),
      invalid(/not valid JSON/),
    );
    await assert.rejects(
      predictFile({ uri: doubler, inputPath: join(home, 'cols.csv') }, deps),
      invalid(/needs column 'x2'/),
    );
    await assert.rejects(
      predictFile({ uri: doubler, inputPath: join(home, 'none.csv') }, deps),
      invalid(/cannot read input file/),
    );
  });
});
