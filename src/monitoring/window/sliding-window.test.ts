import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { MmdDriftDetector, TabularDriftDetector } from '../drift/index.js';
import { createSlidingWindow, createTumblingWindow, StreamWindow, windowed } from './index.js';

const sum = (w: number[]): number => w.reduce((a, b) => a + b, 0);

describe('stream windows', () => {
  it('tumbling: one result per `size` samples, windows do not overlap', () => {
    const w = createTumblingWindow(3, (win: number[]) => [...win]);
    assert.equal(w.push(1), undefined);
    assert.equal(w.push(2), undefined);
    assert.deepEqual(w.push(3), [1, 2, 3]);
    assert.deepEqual(w.pushMany([4, 5, 6, 7, 8, 9, 10]), [
      [4, 5, 6],
      [7, 8, 9],
    ]);
    assert.deepEqual(w.window(), [8, 9, 10]);
  });

  it('sliding: first result when full, then every `step` samples over the latest `size`', () => {
    const w = createSlidingWindow({ size: 4, step: 2, evaluate: (win: number[]) => [...win] });
    assert.deepEqual(w.pushMany([1, 2, 3, 4, 5, 6, 7, 8]), [
      [1, 2, 3, 4],
      [3, 4, 5, 6],
      [5, 6, 7, 8],
    ]);
  });

  it('chunks and single samples give the same results', () => {
    const data = Array.from({ length: 23 }, (_, i) => i * i);
    const a = createSlidingWindow({ size: 5, step: 3, evaluate: sum });
    const b = createSlidingWindow({ size: 5, step: 3, evaluate: sum });
    const one = data.flatMap((x) => {
      const r = a.push(x);
      return r === undefined ? [] : [r];
    });
    const chunked = [
      ...b.pushMany(data.slice(0, 7)),
      ...b.pushMany(data.slice(7, 8)),
      ...b.pushMany(data.slice(8)),
    ];
    assert.deepEqual(chunked, one);
  });

  it('hopping windows (step > size) skip samples', () => {
    const w = createSlidingWindow({ size: 2, step: 3, evaluate: (win: number[]) => [...win] });
    assert.deepEqual(w.pushMany([1, 2, 3, 4, 5, 6, 7, 8]), [
      [1, 2],
      [4, 5],
      [7, 8],
    ]);
  });

  it('saves and resumes mid-window', () => {
    const w = createSlidingWindow({ size: 3, step: 2, evaluate: sum });
    w.pushMany([1, 2, 3, 4]);
    const resumed = StreamWindow.fromJSON(JSON.parse(JSON.stringify(w.toJSON())), sum);
    assert.deepEqual(resumed.pushMany([5, 6, 7]), w.pushMany([5, 6, 7]));
  });

  it('wraps a drift detector: a shift in the stream shows up in the window covering it', () => {
    const rng = createRng(3);
    const reference = Array.from({ length: 40 }, () => [rng.normal(), rng.normal()]);
    const detector = new MmdDriftDetector({ seed: 1, nPermutations: 50 }).fit(reference);
    const stream = windowed(detector, { size: 30 });
    const calm = Array.from({ length: 30 }, () => [rng.normal(), rng.normal()]);
    const shifted = Array.from({ length: 30 }, () => [rng.normal() + 1.5, rng.normal()]);
    const results = stream.pushMany([...calm, ...shifted]);
    assert.deepEqual(
      results.map((r) => r.isDrift),
      [false, true],
    );
  });

  it('feeds record rows to a tabular drift detector', () => {
    const reference = Array.from({ length: 50 }, (_, i) => ({
      colour: i % 2 === 0 ? 'red' : 'blue',
      size: i,
    }));
    const detector = new TabularDriftDetector({ test: 'chi2', features: { size: { test: 'ks' } } }).fit(
      reference,
    );
    const stream = windowed(detector, { size: 20 });
    const rows = Array.from({ length: 40 }, (_, i) => ({ colour: i < 20 ? 'red' : 'green', size: i }));
    const results = stream.pushMany(rows);
    assert.equal(results.length, 2);
    assert.equal(results[1]?.perFeature?.find((f) => f.feature === 'colour')?.isDrift, true);
  });

  it('rejects bad sizes', () => {
    assert.throws(() => createTumblingWindow(0, sum), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => createSlidingWindow({ size: 3, step: 0, evaluate: sum }), {
      code: 'INVALID_ARGUMENT',
    });
  });
});
