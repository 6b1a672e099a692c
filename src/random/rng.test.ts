import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from './rng.js';

// The first outputs for three seeds, printed by fixtures/make-rng-reference.py: an independent Python
// implementation of the splitmix32 seeding and of xoshiro128** from Blackman & Vigna's reference C
// code. State words, uniforms and ints are exact integer / IEEE double arithmetic, so they must match
// bit for bit; the normals go through libm's log and cos, so they are compared to 1e-14. These values
// also freeze the stream that monitoring's fixtures and saved detector states rely on.
const REFERENCE = {
  '0': {
    state: [1684164658, 3653269916, 2939563536, 2141751570],
    next: [0.41675133265905573, 0.5870561741002205, 0.2650367332581032, 0.44226437408135244],
    int10: [8, 3, 8, 9, 6, 7, 0, 1],
    normal: [-0.8194147467752799, -0.3545979220000816, -0.9340584978079769],
  },
  '42': {
    state: [551831576, 144025891, 322543647, 3034809370],
    next: [0.15377165265745885, 0.018084542542176507, 0.5348906284683476, 0.7272476959257951],
    int10: [5, 2, 8, 3, 4, 6, 8, 4],
    normal: [0.24519478753256302, 0.5419907416530547, -0.2734445337097447],
  },
  '-1': {
    state: [3950124170, 4293442868, 1302505678, 2762329221],
    next: [0.9555830018603452, 0.2682696548492096, 0.8580147783595625, 0.968965302034608],
    int10: [2, 8, 9, 2, 1, 9, 8, 2],
    normal: [-0.5677641756331179, 0.17905819522472555, 1.9314166863865458],
  },
} as const;

const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

describe('seeded RNG (xoshiro128**)', () => {
  for (const [seed, ref] of Object.entries(REFERENCE)) {
    it(`seed ${seed} gives the reference state and first outputs`, () => {
      const rng = createRng(Number(seed));
      assert.deepEqual(rng.state(), ref.state);
      assert.deepEqual(
        Array.from({ length: 4 }, () => rng.next()),
        ref.next,
      );
      assert.deepEqual(
        Array.from({ length: 8 }, () => rng.int(10)),
        ref.int10,
      );
      for (const expected of ref.normal) {
        const z = rng.normal();
        assert.ok(Math.abs(z - expected) < 1e-14, `normal ${z} vs reference ${expected}`);
      }
    });
  }

  it('same seed, same stream; different seeds, different streams', () => {
    const a = createRng(123);
    const b = createRng(123);
    const c = createRng(124);
    const sa = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      sa,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 5 }, () => c.next()),
    );
  });

  it('resumes exactly from a saved state, including one that went through JSON', () => {
    const a = createRng(7);
    a.next();
    a.normal();
    a.shuffle([1, 2, 3]);
    const resumed = createRng(a.state());
    const revived = createRng(JSON.parse(JSON.stringify(a.state())));
    const expected = Array.from({ length: 10 }, () => a.next());
    assert.deepEqual(
      Array.from({ length: 10 }, () => resumed.next()),
      expected,
    );
    assert.deepEqual(
      Array.from({ length: 10 }, () => revived.next()),
      expected,
    );
  });

  it('uniforms lie in [0, 1) with mean ≈ 1/2; normals have mean ≈ 0 and variance ≈ 1', () => {
    const rng = createRng(1);
    const u = Array.from({ length: 20000 }, () => rng.next());
    assert.ok(u.every((v) => v >= 0 && v < 1));
    // sd of the mean of 20000 uniforms is 0.0020; 0.01 is five of them.
    assert.ok(Math.abs(mean(u) - 0.5) < 0.01);
    const z = Array.from({ length: 20000 }, () => rng.normal());
    const m = mean(z);
    const variance = z.reduce((s, v) => s + (v - m) ** 2, 0) / z.length;
    // sd of the mean is 0.0071 and of the variance sqrt(2/20000) = 0.010: both bounds are ~4-5 sd.
    assert.ok(Math.abs(m) < 0.03, `mean ${m}`);
    assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
  });

  it('int(n) stays in [0, n) and fills its bins evenly (chi-square)', () => {
    const rng = createRng(9);
    const n = 7;
    const draws = 14000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) {
      const k = rng.int(n);
      assert.ok(Number.isInteger(k) && k >= 0 && k < n);
      counts[k]! += 1;
    }
    const expected = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // chi-square with 6 degrees of freedom: P(X > 22.46) = 0.001 (scipy.stats.chi2.isf(0.001, 6)).
    assert.ok(chi2 < 22.46, `chi2 = ${chi2}, counts ${counts.join(',')}`);
    // int(1) is always 0, and a huge n still gives integers below n.
    assert.equal(rng.int(1), 0);
    const big = rng.int(2 ** 40);
    assert.ok(Number.isInteger(big) && big < 2 ** 40);
  });

  it('shuffle and sampleIndices keep every element and stay in range', () => {
    const rng = createRng(5);
    assert.deepEqual(rng.shuffle([1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5]);
    const idx = rng.sampleIndices(100, 30);
    assert.equal(new Set(idx).size, 30);
    assert.ok(idx.every((i) => i >= 0 && i < 100));
    assert.deepEqual(rng.sampleIndices(4, 4).sort(), [0, 1, 2, 3]);
    assert.deepEqual(rng.sampleIndices(4, 0), []);
  });

  it('rejects bad seeds, states and arguments', () => {
    const rng = createRng(5);
    assert.throws(() => rng.sampleIndices(3, 4), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => rng.int(0), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => rng.int(2.5), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => createRng(1.5), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => createRng([1, 2, 3] as unknown as [number, number, number, number]), {
      code: 'INVALID_ARGUMENT',
    });
    // The all-zero state is xoshiro's fixed point; a corrupt save must not freeze the stream.
    const fromZero = createRng([0, 0, 0, 0]);
    assert.notEqual(fromZero.next(), fromZero.next());
  });
});
