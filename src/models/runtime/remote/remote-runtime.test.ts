import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OspreyError } from '../../../errors/index.js';
import { type RemoteFlavorConfig, type Signature, writeModelPackage } from '../../package/index.js';
import { createPredictor, loadPredictor, toRows, toTensors } from '../index.js';
import { type OipTestServer, startOipServer } from '../test-support/oip-server.js';

const code =
  (c: string, pattern = /./) =>
  (e: unknown) =>
    e instanceof OspreyError && e.code === c && pattern.test(e.message);

const WEIGHTS = [0.5, -2, 1.25];
const BIAS = 0.75;
const linear = (r: number[]) => r.reduce((s, v, j) => s + v * WEIGHTS[j]!, BIAS);

describe('remote runtime (Open Inference Protocol REST)', () => {
  let root: string;
  let server: OipTestServer;
  let n = 0;
  const pkg = async (remote: RemoteFlavorConfig, signature?: Signature) =>
    (
      await writeModelPackage(join(root, `p${n++}`), {
        flavor: 'remote',
        remote,
        ...(signature ? { signature } : {}),
      })
    ).dir;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-remote-'));
    server = await startOipServer([
      { name: 'lin', version: '3', weights: WEIGHTS, bias: BIAS },
      { name: 'slow', version: '1', weights: WEIGHTS, bias: BIAS, delayMs: 400 },
      { name: 'down', version: '1', weights: WEIGHTS, bias: BIAS, failWith: 503 },
    ]);
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('predicts through /v2/models/{m}/versions/{v}/infer with the signature read from metadata', async () => {
    const predictor = await loadPredictor(await pkg({ url: `${server.url}/`, model: 'lin', version: '3' }));
    assert.deepEqual(predictor.signature, {
      inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 3] }],
      outputs: [
        { name: 'y', datatype: 'FP64', shape: [-1] },
        { name: 'positive', datatype: 'BOOL', shape: [-1] },
      ],
    });
    const rows = [
      [1, 2, 3],
      [-1, 0.5, 0],
    ];
    const out = await predictor.predict({
      x: { datatype: 'FP64', shape: [2, 3], data: new Float64Array(rows.flat()) },
    });
    assert.deepEqual(Array.from(out.y!.data as Float64Array), rows.map(linear));
    assert.deepEqual(
      Array.from(out.positive!.data as Uint8Array),
      rows.map((r) => (linear(r) > 0 ? 1 : 0)),
    );
    const sent = server.requests.at(-1) as { id: string; inputs: unknown[]; outputs: unknown[] };
    assert.match(sent.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(sent.inputs, [{ name: 'x', datatype: 'FP64', shape: [2, 3], data: rows.flat() }]);
    assert.deepEqual(sent.outputs, [{ name: 'y' }, { name: 'positive' }]);
    assert.deepEqual(toRows(out, predictor.signature), [
      { y: linear(rows[0]!), positive: true },
      { y: linear(rows[1]!), positive: false },
    ]);
    await predictor.unload();
  });

  it('asks only for the outputs the manifest declares, and maps tabular rows', async () => {
    const signature: Signature = {
      inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, 3], columns: ['a', 'b', 'c'] }],
      outputs: [{ name: 'y', datatype: 'FP64', shape: [-1] }],
    };
    const predictor = await loadPredictor(await pkg({ url: server.url, model: 'lin' }, signature));
    const out = await predictor.predict(
      toTensors({ columns: ['c', 'a', 'b'], data: [[3, 1, 2]] }, signature),
    );
    assert.deepEqual(Object.keys(out), ['y']);
    assert.deepEqual(Array.from(out.y!.data as Float64Array), [linear([1, 2, 3])]);
    assert.deepEqual((server.requests.at(-1) as { outputs: unknown }).outputs, [{ name: 'y' }]);
  });

  it('maps server answers onto error codes, carrying the server message', async () => {
    const x = (v: number) => ({ x: { datatype: 'FP64' as const, shape: [1, 3], data: [v, 0, 0] } });
    const lin = await loadPredictor(await pkg({ url: server.url, model: 'lin' }));
    await assert.rejects(lin.predict(x(1e9)), code('INVALID_ARGUMENT', /lin at .*: x values must lie in/));
    const down = await loadPredictor(await pkg({ url: server.url, model: 'down' }));
    await assert.rejects(down.predict(x(1)), code('UNAVAILABLE', /model server overloaded/));
    const slow = await loadPredictor(await pkg({ url: server.url, model: 'slow' }), {
      remote: { timeoutMs: 100 },
    });
    await assert.rejects(slow.predict(x(1)), code('DEADLINE_EXCEEDED', /did not answer within 100 ms/));
    await assert.rejects(
      loadPredictor(await pkg({ url: server.url, model: 'lin', version: '9' })),
      code('NOT_FOUND'),
    );
    await assert.rejects(
      loadPredictor(await pkg({ url: 'http://127.0.0.1:9', model: 'lin' })),
      code('UNAVAILABLE', /cannot reach/),
    );
    const wrong: Signature = { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }], outputs: [] };
    await assert.rejects(
      (await createPredictor(await pkg({ url: server.url, model: 'lin' }, wrong))).load(),
      code('INVALID_ARGUMENT', /signature input 'x' is FP32 but remote model lin declares FP64/),
    );
  });
});
