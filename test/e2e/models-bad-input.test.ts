// Broken models and URIs that do not resolve, through the three ways a user meets them: loadPredictor
// on a fetched package, predictFile (the implementation of `osprey models predict`), and the CLI
// itself; then a good model given bad input (predict() and malformed CSV/JSON files), and
// `osprey models register` given sources that are not model packages. Each must fail with a coded
// OspreyError naming the file, column or input: no crash, no hang, no unhandled rejection, no worker
// thread left running, nothing half-written in the model cache, nothing registered.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOsprey, type Osprey } from '../../src/app/index.js';
import { createEmbeddedClient, type OspreyClient, registerModel, startRun } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import {
  type FetchModelDeps,
  fetchModel,
  loadPredictor,
  logModel,
  MANIFEST_FILE,
  makeBlobs,
  type NamedTensors,
  predictFile,
  trainLogisticRegression,
  writeTrainedModelPackage,
} from '../../src/models/index.js';
import { rejectsWith } from '../support/assertions.js';
import { runCli } from '../support/run-cli.js';

const blobs = makeBlobs({ nSamples: 80, nFeatures: 2, centers: 2, seed: 21 });
const model = trainLogisticRegression(blobs.X, blobs.y);
const onnx = model.toOnnx();

// Live worker threads show up as MessagePort handles.
const workerPorts = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

describe('models: bad packages and URIs fail clearly', () => {
  let home: string;
  let staging: string;
  let osprey: Osprey;
  let client: OspreyClient;
  let deps: FetchModelDeps;
  let inputCsv: string;
  let missingRunId: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  let ports: number;
  before(async () => {
    ports = workerPorts();
    process.on('unhandledRejection', onUnhandled);
    home = await mkdtemp(join(tmpdir(), 'osprey-models-bad-'));
    staging = await mkdtemp(join(tmpdir(), 'osprey-models-bad-staging-'));
    osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }));
    client = createEmbeddedClient(osprey);
    deps = {
      cacheDir: join(home, '.osprey', 'models'),
      tracking: client,
      resolveModel: (uri) => client.resolveModel(uri),
    };
    inputCsv = join(home, 'points.csv');
    await writeFile(inputCsv, 'x1,x2\n0.5,1\n-2,3\n');
    missingRunId = 'f'.repeat(32);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await osprey.close();
    await rm(home, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  });

  // A good package, broken by `breakIt`, uploaded file by file to a run (as a hand-edited or
  // damaged package would be), registered as `name` with @champion on it.
  async function publishBroken(name: string, breakIt: (dir: string) => Promise<void>) {
    const { dir } = await writeTrainedModelPackage(model, join(staging, name), { columns: ['x1', 'x2'] });
    await breakIt(dir);
    const run = await startRun(client, {
      experimentName: 'bad',
      runName: name,
      recordSource: false,
      endOnExit: false,
    });
    for (const file of await readdir(dir)) {
      await client.uploadArtifact(run.runId, `model/${file}`, { file: join(dir, file) });
    }
    await run.end();
    const version = await registerModel(client, `runs:/${run.runId}/model`, name);
    await client.setModelAlias(name, 'champion', version.version);
    return `models:/${name}@champion`;
  }

  // The three paths, each expected to fail with `code` and a message matching `message`.
  async function expectFailure(uri: string, code: string, message: RegExp) {
    await rejectsWith(
      fetchModel(uri, deps).then((fetched) => loadPredictor(fetched.dir)),
      code,
      message,
    );
    await rejectsWith(predictFile({ uri, inputPath: inputCsv }, deps), code, message);
    const cli = await runCli(['--home', home, 'models', 'predict', uri, '-i', inputCsv]);
    assert.equal(cli.code, 1, cli.stderr);
    assert.equal(cli.stdout, '');
    assert.match(cli.stderr, message);
    assert.match(cli.stderr, new RegExp(`\\(${code}\\)$`));
  }

  const replaceModel = (bytes: Uint8Array) => (dir: string) => writeFile(join(dir, 'model.onnx'), bytes);
  const editManifest = (edit: (text: string) => string) => async (dir: string) => {
    const path = join(dir, MANIFEST_FILE);
    await writeFile(path, edit(await readFile(path, 'utf8')));
  };

  // The ONNX cases each start onnxruntime workers three times: two at a time keeps the file short.
  describe('broken ONNX packages', { concurrency: 2 }, () => {
    it('a truncated model.onnx', { timeout: 30_000 }, async () => {
      const uri = await publishBroken('truncated', replaceModel(onnx.subarray(0, onnx.length >> 1)));
      await expectFailure(uri, 'INVALID_ARGUMENT', /model\.onnx is not a model onnxruntime can load: \w/);
    });

    it('random bytes as model.onnx', { timeout: 30_000 }, async () => {
      const uri = await publishBroken('random', replaceModel(randomBytes(4096)));
      await expectFailure(uri, 'INVALID_ARGUMENT', /model\.onnx is not a model onnxruntime can load: \w/);
    });

    it('a manifest naming an input the ONNX graph does not have', { timeout: 30_000 }, async () => {
      const uri = await publishBroken(
        'renamed',
        editManifest((t) => t.replace('name: input', 'name: features')),
      );
      await expectFailure(
        uri,
        'INVALID_ARGUMENT',
        /signature input 'features' is not an input of \S*model\.onnx \(it has: input\)/,
      );
    });

    it('a manifest whose input datatype differs from the graph', { timeout: 30_000 }, async () => {
      const uri = await publishBroken(
        'widened',
        editManifest((t) => t.replace('datatype: FP32', 'datatype: FP64')),
      );
      await expectFailure(
        uri,
        'INVALID_ARGUMENT',
        /signature input 'input' is FP64 but \S*model\.onnx declares FP32/,
      );
    });

    it('a manifest whose input width differs from the graph', { timeout: 30_000 }, async () => {
      const uri = await publishBroken(
        'narrow',
        editManifest((t) =>
          t.replace('shape: [ -1, 2 ]', 'shape: [ -1, 1 ]').replace('columns: [ x1, x2 ]', 'columns: [ x1 ]'),
        ),
      );
      await expectFailure(
        uri,
        'INVALID_ARGUMENT',
        /signature input 'input' has shape \[-1, 1\] but \S*model\.onnx declares \[-1, 2\]/,
      );
    });
  });

  it('an unknown flavor', { timeout: 30_000 }, async () => {
    const uri = await publishBroken(
      'pytorch',
      editManifest((t) => t.replace('flavor: onnx', 'flavor: pytorch')),
    );
    await expectFailure(
      uri,
      'INVALID_ARGUMENT',
      /osprey-model\.yaml .*unknown flavor "pytorch" \(expected one of onnx/,
    );
    // logModel reads the package before uploading anything, so such a package never reaches a run.
    const run = await startRun(client, { experimentName: 'bad', recordSource: false, endOnExit: false });
    await rejectsWith(
      logModel(client, run.runId, 'model', join(staging, 'pytorch')),
      'INVALID_ARGUMENT',
      /pytorch/,
    );
    assert.deepEqual(await client.listArtifacts(run.runId), []);
    await run.end();
  });

  it('models:/ and runs:/ URIs that do not resolve, and a run path without a manifest', {
    timeout: 30_000,
  }, async () => {
    await expectFailure('models:/nope@champion', 'NOT_FOUND', /nope/);
    await expectFailure(`runs:/${missingRunId}/model`, 'NOT_FOUND', new RegExp(missingRunId));
    const run = await startRun(client, {
      experimentName: 'bad',
      runName: 'bare',
      recordSource: false,
      endOnExit: false,
    });
    await client.uploadArtifact(run.runId, 'model/model.onnx', onnx);
    await run.end();
    await expectFailure(
      `runs:/${run.runId}/model`,
      'NOT_FOUND',
      /runs:\/\w+\/model is not a model package: it has no osprey-model\.yaml \(found model\.onnx\)/,
    );
  });

  describe('a good model given bad input', () => {
    let uri: string;
    before(async () => {
      uri = await publishBroken('good', async () => undefined);
    });

    // What `osprey models predict` says about `body` written to `file`: exit 1, nothing on stdout,
    // the error and its code on stderr.
    async function cliRejects(file: string, body: string, code: string, message: RegExp) {
      const path = join(staging, file);
      await writeFile(path, body);
      const cli = await runCli(['--home', home, 'models', 'predict', uri, '-i', path]);
      assert.equal(cli.code, 1, `${file}: ${cli.stderr}`);
      assert.equal(cli.stdout, '', file);
      assert.match(cli.stderr, message, file);
      assert.match(cli.stderr, new RegExp(`\\(${code}\\)$`), file);
    }

    it('predict() names the input that has the wrong name, datatype, shape or data', {
      timeout: 30_000,
    }, async () => {
      const predictor = await loadPredictor((await fetchModel(uri, deps)).dir);
      try {
        const fp32 = (shape: number[], data: unknown) => ({ datatype: 'FP32', shape, data });
        const cases: [unknown, RegExp][] = [
          [{ features: fp32([1, 2], [1, 2]) }, /^unknown input 'features' \(the model takes: input\)$/],
          [{}, /^missing input 'input' \(FP32 \[-1, 2\]\); the model takes: input$/],
          [
            { input: { datatype: 'FP64', shape: [1, 2], data: [1, 2] } },
            /^input 'input': datatype FP64 does not match the signature's FP32$/,
          ],
          [{ input: fp32([2, 3], [1, 2, 3, 4, 5, 6]) }, /^input 'input': shape \[2, 3\] does not match/],
          [
            { input: fp32([2], [1, 2]) },
            /^input 'input': shape \[2\] does not match the signature's \[-1, 2\]/,
          ],
          [
            { input: fp32([2, 2], [1, 2, 3]) },
            /^input 'input': shape \[2, 2\] needs 4 elements, data has 3$/,
          ],
          [{ input: fp32([1, 2], ['a', 'b']) }, /^input 'input': element 0 is "a", expected a number$/],
          [
            { input: { datatype: 'FP99', shape: [1, 2], data: [1, 2] } },
            /^input 'input': unknown datatype "FP99"$/,
          ],
          [
            { input: fp32([1, -2], [1, 2]) },
            /^input 'input': shape must be a list of non-negative integers$/,
          ],
        ];
        for (const [inputs, message] of cases) {
          await rejectsWith(predictor.predict(inputs as NamedTensors), 'INVALID_ARGUMENT', message);
        }
        // The refusals happen before the worker sees anything: the model still predicts.
        const out = await predictor.predict({
          input: { datatype: 'FP32', shape: [2, 2], data: Float32Array.of(0.5, 1, -2, 3) },
        });
        assert.deepEqual(
          Array.from(out.label!.data as BigInt64Array, Number),
          model.predict([
            [0.5, 1],
            [-2, 3],
          ]),
        );
      } finally {
        await predictor.unload();
      }
    });

    it('osprey models predict refuses malformed CSV and JSON files before loading the model', async () => {
      const invalid = (file: string, body: string, message: RegExp) =>
        cliRejects(file, body, 'INVALID_ARGUMENT', message);
      await invalid('ragged.csv', 'x1,x2\n1,2,3\n', /ragged\.csv is not valid CSV: Invalid Record Length/);
      await invalid('quote.csv', 'x1,x2\n"1,2\n', /quote\.csv is not valid CSV: Quote Not Closed/);
      await invalid('header.csv', 'x1,x2\n', /header\.csv has no data rows/);
      await invalid('empty.csv', '', /empty\.csv has no data rows/);
      await invalid('truncated.json', '{"inputs": [', /truncated\.json is not valid JSON/);
      await invalid('scalar.json', '[1, 2]', /scalar\.json: unrecognised JSON input; expected rows/);
      await invalid('none.json', '[]', /none\.json has no rows to predict/);
      await invalid('model.txt', 'x1,x2\n1,2\n', /input file must be \.csv or \.json/);
    });

    it('osprey models predict names the column or input a well-formed file gets wrong', {
      timeout: 60_000,
    }, async () => {
      const invalid = (file: string, body: string, message: RegExp) =>
        cliRejects(file, body, 'INVALID_ARGUMENT', message);
      await invalid(
        'columns.csv',
        'x1,x3\n1,2\n',
        /input 'input' needs column 'x2', which the rows lack \(columns: x1, x3\)/,
      );
      await invalid('cell.csv', 'x1,x2\n1,abc\n', /column 'x2' row 0: 'abc' is not a number \(FP32\)/);
      await invalid(
        'oip.json',
        JSON.stringify({ inputs: [{ name: 'input', datatype: 'INT64', shape: [1, 2], data: [1, 2] }] }),
        /input 'input': datatype INT64 does not match the signature's FP32/,
      );
    });
  });

  it('osprey models register refuses sources that are not model packages, registering nothing', {
    timeout: 30_000,
  }, async () => {
    const bare = await startRun(client, { experimentName: 'bad', recordSource: false, endOnExit: false });
    await client.uploadArtifact(bare.runId, 'model/model.onnx', onnx);
    await bare.end();
    const cases: [string, string, RegExp][] = [
      [`runs:/${missingRunId}/model`, 'NOT_FOUND', new RegExp(`Run '${missingRunId}' not found`)],
      [`runs:/${bare.runId}/model`, 'NOT_FOUND', /is not a model package: it has no osprey-model\.yaml/],
      [`runs:/${bare.runId}/elsewhere`, 'NOT_FOUND', /no artifacts under runs:\/\w+\/elsewhere/],
      [join(staging, 'no-such-dir'), 'NOT_FOUND', /model directory not found/],
      [staging, 'NOT_FOUND', /is not a model package: osprey-model\.yaml is missing/],
      [join(staging, 'pytorch'), 'INVALID_ARGUMENT', /unknown flavor "pytorch"/],
      ['models:/nope/1', 'NOT_FOUND', /nope/],
    ];
    for (const [source, code, message] of cases) {
      const cli = await runCli(['--home', home, 'models', 'register', source, 'ghost']);
      assert.equal(cli.code, 1, `${source}: ${cli.stderr}`);
      assert.match(cli.stderr, message, source);
      assert.match(cli.stderr, new RegExp(`\\(${code}\\)$`), source);
    }
    // The SDK's registerModel checks the run before creating the registered model.
    await rejectsWith(registerModel(client, `runs:/${missingRunId}/model`, 'ghost'), 'NOT_FOUND');
    await rejectsWith(client.getRegisteredModel('ghost'), 'NOT_FOUND');
  });

  it('left no worker running, nothing half-written in the model cache, no unhandled rejection', async () => {
    assert.equal(workerPorts(), ports, 'no worker thread is left running');
    assert.deepEqual(await readdir(join(deps.cacheDir, 'tmp')), []);
    // Only the complete packages fetched above are cached (one per broken model that resolved).
    assert.equal((await readdir(join(deps.cacheDir, 'runs'))).length, 7);
    assert.deepEqual(unhandled, []);
  });
});
