import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { createRng, makeBlobs, makeLinear, makeMoons, makeXor } from './index.js';

describe('seeded dataset generators', () => {
  it('are deterministic per seed and differ across seeds', () => {
    assert.deepEqual(makeBlobs({ nSamples: 50, seed: 3 }), makeBlobs({ nSamples: 50, seed: 3 }));
    assert.notDeepEqual(makeBlobs({ nSamples: 50, seed: 3 }).X, makeBlobs({ nSamples: 50, seed: 4 }).X);
    assert.deepEqual(
      makeMoons({ nSamples: 30, noise: 0.1, seed: 1 }),
      makeMoons({ nSamples: 30, noise: 0.1, seed: 1 }),
    );
  });

  it('makeBlobs splits samples evenly around the centres with the requested spread', () => {
    const { X, y } = makeBlobs({
      nSamples: 3000,
      centers: [
        [0, 0],
        [10, -5],
        [-4, 8],
      ],
      clusterStd: 2,
      seed: 7,
    });
    assert.deepEqual(
      [0, 1, 2].map((k) => y.filter((v) => v === k).length),
      [1000, 1000, 1000],
    );
    const rows = X.filter((_, i) => y[i] === 1);
    const mean = [0, 1].map((j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
    const sd = Math.sqrt(rows.reduce((s, r) => s + (r[0]! - mean[0]!) ** 2, 0) / rows.length);
    assert.ok(Math.abs(mean[0]! - 10) < 0.2 && Math.abs(mean[1]! + 5) < 0.2, `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.15, `sd ${sd}`);
  });

  it('makeMoons without noise lies on the two unit half circles', () => {
    const { X, y } = makeMoons({ nSamples: 101 });
    assert.equal(y.filter((v) => v === 0).length, 50);
    X.forEach(([a, b], i) => {
      const r = y[i] === 0 ? Math.hypot(a!, b!) : Math.hypot(a! - 1, b! - 0.5);
      assert.ok(Math.abs(r - 1) < 1e-12);
      assert.ok(y[i] === 0 ? b! >= -1e-12 : b! <= 0.5 + 1e-12);
    });
  });

  it('makeLinear without noise is exactly linear; makeXor labels follow the quadrant rule', () => {
    const lin = makeLinear({ nSamples: 20, nFeatures: 4, intercept: 2, seed: 5 });
    lin.X.forEach((row, i) => {
      assert.ok(Math.abs(row.reduce((s, v, j) => s + v * lin.coef[j]!, 2) - lin.y[i]!) < 1e-12);
    });
    const xor = makeXor({ nSamples: 200, nNoiseFeatures: 3, seed: 2 });
    assert.equal(xor.X[0]!.length, 5);
    xor.X.forEach((r, i) => {
      assert.equal(xor.y[i], r[0]! * r[1]! < 0 ? 1 : 0);
    });
  });

  it('createRng gives uniforms in [0, 1) and standard normals', () => {
    const rng = createRng(42);
    const u = Array.from({ length: 20000 }, () => rng.next());
    assert.ok(u.every((v) => v >= 0 && v < 1));
    assert.ok(Math.abs(u.reduce((a, b) => a + b, 0) / u.length - 0.5) < 0.01);
    const z = Array.from({ length: 20000 }, () => rng.normal());
    const m = z.reduce((a, b) => a + b, 0) / z.length;
    const v = z.reduce((a, b) => a + (b - m) ** 2, 0) / z.length;
    assert.ok(Math.abs(m) < 0.03 && Math.abs(v - 1) < 0.04, `mean ${m} var ${v}`);
  });

  it('rejects invalid sizes', () => {
    assert.throws(
      () => makeBlobs({ nSamples: 0 }),
      (e: unknown) => e instanceof OspreyError && e.code === 'INVALID_ARGUMENT',
    );
    assert.throws(() => makeLinear({ nSamples: 5, nFeatures: 2, coef: [1] }), OspreyError);
  });
});
