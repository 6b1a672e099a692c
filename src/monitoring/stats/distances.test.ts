import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeTo, loadReferenceValues, materialise } from '../fixtures/reference-values.js';
import {
  binCounts,
  binShares,
  jensenShannonDistance,
  normalizedWasserstein,
  populationStabilityIndex,
  referenceQuantileEdges,
  sturgesEdges,
  wassersteinDistance,
} from './index.js';

// Expected values: scipy.stats.wasserstein_distance (normalised by np.std of the reference, as
// Evidently) and scipy.spatial.distance.jensenshannon, fixtures/make-reference.py.
const ref = loadReferenceValues();

describe('distances against scipy', () => {
  it('wasserstein_distance and Evidently normalisation', () => {
    for (const c of ref.wasserstein) {
      const x = materialise(c.x);
      const y = materialise(c.y);
      assert.ok(closeTo(wassersteinDistance(x, y), c.distance, 1e-12));
      assert.ok(closeTo(normalizedWasserstein(x, y), c.normalized, 1e-12));
    }
  });

  it('jensenshannon, natural log and base 2', () => {
    for (const c of ref.jensenShannon) {
      assert.ok(closeTo(jensenShannonDistance(c.p, c.q), c.natural, 1e-12, 1e-15));
      assert.ok(closeTo(jensenShannonDistance(c.p, c.q, 2), c.base2, 1e-12, 1e-15));
    }
  });
});

describe('PSI and binning', () => {
  it('PSI by hand: shares (0.5, 0.5) vs (0.25, 0.75)', () => {
    const expected = 0.25 * Math.log(2) + -0.25 * Math.log(0.5 / 0.75);
    assert.ok(Math.abs(populationStabilityIndex([0.5, 0.5], [0.25, 0.75]) - expected) < 1e-15);
  });

  it('reference-quantile bins hold equal shares of the reference and catch values outside it', () => {
    const reference = Array.from({ length: 100 }, (_, i) => i);
    const edges = referenceQuantileEdges(reference, 4);
    assert.deepEqual(edges, [24.75, 49.5, 74.25]);
    const counts = binCounts(reference, [-1000, 1000], { kind: 'reference-quantile', bins: 4 });
    assert.deepEqual(counts.reference, [25, 25, 25, 25]);
    assert.deepEqual(counts.current, [1, 0, 0, 1]);
  });

  it('duplicate quantile edges collapse (heavily tied reference)', () => {
    assert.deepEqual(referenceQuantileEdges([1, 1, 1, 1, 1, 1, 2, 3], 4), [1, 1.25]);
  });

  it('sturges edges follow numpy: ceil(log2 n + 1) equal bins over the pooled range', () => {
    const edges = sturgesEdges(Array.from({ length: 16 }, (_, i) => i));
    assert.equal(edges.length, 6); // 5 bins for n = 16
    assert.equal(edges[0], 0);
    assert.equal(edges[5], 15);
    assert.deepEqual(sturgesEdges([2, 2, 2]), [1.5, 2.5]);
  });

  it('empty bins get Evidently zero fill, so PSI stays finite', () => {
    const shares = binShares([10, 0, 30]);
    assert.deepEqual(shares, [0.25, 1e-4, 0.75]);
    const tiny = binShares([1, 0, 99999]);
    assert.equal(tiny[1], 1e-5 / 1e6);
    assert.ok(Number.isFinite(populationStabilityIndex(binShares([5, 5, 0]), binShares([0, 5, 5]))));
  });
});
