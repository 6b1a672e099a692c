import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ClassifierDriftDetector,
  createRng,
  IsolationForestDetector,
  loadDetector,
  MahalanobisDetector,
  MmdDriftDetector,
  RobustZScoreDetector,
  type SavedDetectorState,
  TabularDriftDetector,
} from './index.js';

describe('loadDetector (public face)', () => {
  const rng = createRng(42);
  const reference = Array.from({ length: 40 }, () => [rng.normal(), rng.normal()]);
  const batch = Array.from({ length: 20 }, () => [rng.normal() + 0.5, rng.normal()]);

  it('restores every synchronous detector from JSON text with identical predictions', () => {
    const detectors = [
      new TabularDriftDetector().fit(reference),
      new MmdDriftDetector({ nPermutations: 20 }).fit(reference),
      new ClassifierDriftDetector({ nPermutations: 5 }).fit(reference),
      new IsolationForestDetector({ nEstimators: 10 }).fit(reference),
      new MahalanobisDetector().fit(reference),
      new RobustZScoreDetector().fit(reference),
    ];
    for (const d of detectors) {
      const text = JSON.stringify(d.toJSON());
      const restored = loadDetector(JSON.parse(text) as SavedDetectorState);
      assert.equal(restored.kind, d.kind);
      assert.deepEqual(restored.predict(batch), d.predict(batch), d.kind);
    }
  });

  it('rejects unknown kinds and wrong versions', () => {
    assert.throws(() => loadDetector({ kind: 'nope', version: 1 } as unknown as SavedDetectorState), {
      code: 'INVALID_ARGUMENT',
    });
    const state = new RobustZScoreDetector().fit(reference).toJSON();
    assert.throws(() => loadDetector({ ...state, version: 2 } as unknown as SavedDetectorState), /version 1/);
  });
});
