import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { predictionDistance, softmax } from './prediction-distance.js';
import { squeeze } from './squeezers.js';
import { type PredictFn, PredictionStabilityDetector } from './stability-detector.js';

/** Two-class model with a steep boundary at x0 = 0.5: p(class 1) = σ(40 (x0 − 0.5)). */
const steep: PredictFn = (batch) => batch.map((x) => softmax([0, 40 * ((x[0] as number) - 0.5)]));

function clusters(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => [(i % 2 === 0 ? 0.1 : 0.9) + 0.05 * rng.normal(), rng.normal()]);
}

describe('prediction distances and squeezers by hand', () => {
  it('L1 and KL between probability vectors', () => {
    assert.ok(Math.abs(predictionDistance([0.3, 0.7], [0, 1], 'l1', 'probabilities') - 0.6) < 1e-15);
    const kl = 0.3 * Math.log(0.3 / 0.5) + 0.7 * Math.log(0.7 / 0.5);
    assert.ok(Math.abs(predictionDistance([0.3, 0.7], [0.5, 0.5], 'kl', 'probabilities') - kl) < 1e-15);
    assert.ok(Math.abs(predictionDistance([0, 0], [0, Math.log(3)], 'l1', 'logits') - 0.5) < 1e-15);
  });

  it('bit-depth squeezing quantises over the reference range; rounding keeps given decimals', () => {
    const ranges = { min: [0, 10], max: [1, 20], std: [1, 1] };
    assert.deepEqual(squeeze([0.3, 17], { kind: 'bit-depth', bits: 1 }, ranges), [0, 20]);
    const [a, b] = squeeze([0.26, 12.4], { kind: 'bit-depth', bits: 2 }, ranges) as [number, number];
    assert.ok(Math.abs(a - 1 / 3) < 1e-15 && Math.abs(b - (10 + 10 / 3)) < 1e-12);
    assert.deepEqual(squeeze([1.26, -3.14], { kind: 'round', decimals: 1 }, ranges), [1.3, -3.1]);
  });
});

describe('PredictionStabilityDetector', () => {
  it('hand-checked score: p = (x, 1 − x) squeezed by rounding to integers', async () => {
    const linear: PredictFn = (batch) => batch.map((x) => [x[0] as number, 1 - (x[0] as number)]);
    const d = await new PredictionStabilityDetector(linear, {
      squeezers: [{ kind: 'round', decimals: 0 }],
      nPerturbations: 0,
    }).fit([[0], [1], [0.9], [0.1]]);
    const [r] = await d.predict([[0.3]]);
    assert.ok(
      r && Math.abs(r.squeezeScore - 0.6) < 1e-15 && r.noiseScore === 0 && r.score === r.squeezeScore,
    );
  });

  it('flags inputs placed on the decision boundary and passes ordinary ones', async () => {
    const d = await new PredictionStabilityDetector(steep, { seed: 4 }).fit(clusters(200, 1));
    const results = await d.predict([
      [0.5, 0],
      [0.49, 1],
      [0.12, 0],
      [0.88, -1],
    ]);
    assert.deepEqual(
      results.map((r) => r.isAdversarial),
      [true, true, false, false],
    );
    const share = (await d.predict(clusters(200, 2))).filter((r) => r.isAdversarial).length / 200;
    assert.ok(share <= 0.05, `share of clean rows flagged: ${share}`);
  });

  it('a model that ignores its input scores 0 everywhere', async () => {
    const constant: PredictFn = (batch) => batch.map(() => [0.2, 0.8]);
    const d = await new PredictionStabilityDetector(constant, { distance: 'kl' }).fit(clusters(20, 3));
    for (const r of await d.predict(clusters(5, 4))) assert.equal(r.score, 0);
  });

  it('accepts async models; batching does not change the scores', async () => {
    let calls = 0;
    const asyncSteep: PredictFn = async (batch) => {
      calls++;
      return steep(batch);
    };
    const reference = clusters(30, 5);
    const rows = clusters(12, 6);
    const big = await new PredictionStabilityDetector(asyncSteep, { seed: 2 }).fit(reference);
    const small = await new PredictionStabilityDetector(steep, { seed: 2, maxBatchRows: 20 }).fit(reference);
    calls = 0;
    assert.deepEqual(await small.predict(rows), await big.predict(rows));
    assert.equal(calls, 1);
  });

  it('round-trips through JSON given the model again', async () => {
    const d = await new PredictionStabilityDetector(steep, { seed: 8 }).fit(clusters(30, 7));
    const restored = PredictionStabilityDetector.fromJSON(JSON.parse(JSON.stringify(d.toJSON())), steep);
    const rows = clusters(6, 9);
    assert.deepEqual(await restored.predict(rows), await d.predict(rows));
  });

  it('rejects models that return the wrong shape', async () => {
    const broken: PredictFn = (batch) => batch.slice(1).map(() => [1]);
    await assert.rejects(new PredictionStabilityDetector(broken).fit(clusters(4, 1)), {
      code: 'INVALID_ARGUMENT',
    });
  });
});
