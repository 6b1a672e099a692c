import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OspreyError } from '../errors/index.js';
import {
  type ClassificationModel,
  makeBlobs,
  makeLinear,
  readModelPackage,
  trainDecisionTreeRegressor,
  trainedModelSignature,
  trainLogisticRegression,
  writeTrainedModelPackage,
} from './index.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);

describe('writeTrainedModelPackage', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'osprey-export-'));
  });
  after(() => rm(root, { recursive: true, force: true }));
  const blobs = makeBlobs({ nSamples: 60, nFeatures: 3, centers: 3, seed: 4 });
  const linear = makeLinear({ nSamples: 60, nFeatures: 2, seed: 4 });

  it('writes a classifier with the signature its ONNX graph declares, columns and metadata', async () => {
    const model = trainLogisticRegression(blobs.X, blobs.y);
    const { dir, manifest } = await writeTrainedModelPackage(model, join(root, 'clf'), {
      columns: ['a', 'b', 'c'],
      metadata: { runId: 'r1', metrics: { accuracy: 0.9 } },
    });
    assert.deepEqual(manifest.signature, {
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3], columns: ['a', 'b', 'c'] }],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ],
    });
    const pkg = await readModelPackage(dir);
    assert.equal(pkg.manifest.flavor === 'onnx' && pkg.manifest.onnx.file, 'model.onnx');
    assert.equal(pkg.manifest.metadata.framework, 'osprey-trainers');
    assert.equal(pkg.manifest.metadata.runId, 'r1');
  });

  it('writes a regressor with a variable [-1, 1] output and no columns', async () => {
    const model = trainDecisionTreeRegressor(linear.X, linear.y, { maxDepth: 3 });
    const { manifest } = await writeTrainedModelPackage(model, join(root, 'reg'));
    assert.deepEqual(manifest.signature, {
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }],
    });
  });

  it('refuses wrong column counts, non-models and exports that do not match the model', async () => {
    const model = trainLogisticRegression(blobs.X, blobs.y);
    await assert.rejects(
      writeTrainedModelPackage(model, join(root, 'cols'), { columns: ['a'] }),
      invalid(/columns names 1 features, the logistic_regression takes 3/),
    );
    await assert.rejects(
      writeTrainedModelPackage({} as ClassificationModel, join(root, 'none')),
      invalid(/must be a trained Osprey classifier or regressor/),
    );
    // A model claiming four classes whose graph outputs three probabilities.
    const liar: ClassificationModel = { ...model, classes: [0, 1, 2, 3] };
    assert.throws(
      () => trainedModelSignature(liar, model.toOnnx()),
      invalid(
        /outputs \(label INT64 \[-1\], probabilities FP32 \[-1, 3\]\), expected .*probabilities FP32 \[-1, 4\]\)$/,
      ),
    );
  });
});
