import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { FrequentValues } from './frequent-values.js';
import { HyperLogLog } from './hyperloglog.js';
import { KllSketch } from './kll-sketch.js';

describe('KllSketch', () => {
  it('answers quantiles of a million values within 1% rank error, in a few thousand numbers of memory', () => {
    const n = 1_000_000;
    const rng = createRng(7);
    // a shuffled permutation of 0..n−1: the true rank of value v is v + 1 (brute-force reference)
    const values = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    const sketch = new KllSketch(createRng(1));
    let maxSize = 0;
    for (const v of values) {
      sketch.update(v);
      if (sketch.size > maxSize) maxSize = sketch.size;
    }
    assert.equal(sketch.count, n);
    assert.ok(maxSize < 3 * sketch.k + 64, `retained at most ${maxSize} values`);
    const levels = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
    const estimates = sketch.quantiles(levels);
    levels.forEach((q, i) => {
      const rankError = Math.abs((estimates[i] as number) + 1 - q * n) / n;
      assert.ok(rankError <= 0.01, `q=${q}: rank error ${rankError}`);
    });
    for (const x of [1000, 250_000, 500_000, 999_000]) {
      const error = Math.abs(sketch.rank(x) - (x + 1)) / n;
      assert.ok(error <= 0.01, `rank(${x}) error ${error}`);
    }
  });

  it('keeps every value while under capacity (exact ranks)', () => {
    const sketch = new KllSketch(createRng(1));
    for (const v of [5, 1, 3, 3, 9]) sketch.update(v);
    assert.equal(sketch.rank(3), 3);
    assert.equal(sketch.rankBelow(3), 1);
    assert.deepEqual(sketch.quantiles([0, 0.5, 1]), [1, 3, 9]);
  });
});

describe('HyperLogLog', () => {
  it('estimates 100,000 distinct values within 3 standard errors (1.04/√16384 each)', () => {
    const hll = new HyperLogLog(14);
    for (let i = 0; i < 100_000; i++) {
      hll.add(`user-${i}`);
      hll.add(`user-${i}`); // duplicates change nothing
    }
    const error = Math.abs(hll.estimate() - 100_000) / 100_000;
    assert.ok(hll.standardError < 0.0082);
    assert.ok(error <= 3 * hll.standardError, `relative error ${error}`);
  });

  it('is accurate at small cardinalities too (no switch to linear counting needed)', () => {
    for (const n of [0, 1, 10, 1000, 20_000]) {
      const hll = new HyperLogLog(14);
      for (let i = 0; i < n; i++) hll.add(String(i * 7919));
      const estimate = hll.estimate();
      assert.ok(Math.abs(estimate - n) <= Math.max(1, 3 * hll.standardError * n), `n=${n}: ${estimate}`);
    }
  });
});

describe('FrequentValues', () => {
  it('counts exactly up to its capacity', () => {
    const f = new FrequentValues(4);
    for (const v of ['a', 'b', 'a', 'c', 'a', 'b']) assert.equal(f.add(v), true);
    assert.equal(f.exact, true);
    assert.deepEqual(f.top(2), [
      { value: 'a', count: 3 },
      { value: 'b', count: 2 },
    ]);
  });

  it('past capacity keeps every heavy hitter, under-counting by at most n/(k+1)', () => {
    const f = new FrequentValues(200, 100);
    const truth = new Map<string, number>();
    const rng = createRng(3);
    let n = 0;
    let flipped = 0;
    for (let i = 0; i < 200_000; i++) {
      const r = rng.next();
      const v = r < 0.3 ? 'hot' : r < 0.45 ? 'warm' : r < 0.5 ? 'mild' : `cold-${i}`;
      truth.set(v, (truth.get(v) ?? 0) + 1);
      if (!f.add(v)) flipped += 1;
      n += 1;
      assert.ok(f.size <= 201);
    }
    assert.equal(flipped, 1, 'reports the switch to approximate counts once');
    assert.equal(f.exact, false);
    assert.ok(f.maxError <= n / 51, `maxError ${f.maxError}`);
    const top = f.top(3);
    assert.deepEqual(
      top.map((t) => t.value),
      ['hot', 'warm', 'mild'],
    );
    for (const t of top) {
      const actual = truth.get(t.value) as number;
      assert.ok(t.count <= actual && t.count >= actual - f.maxError, `${t.value}: ${t.count} vs ${actual}`);
    }
  });
});
