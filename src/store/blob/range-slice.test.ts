import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { RangeSlice, rangeCorrection } from './range-slice.js';

async function slice(chunks: string[], skip: number, limit: number): Promise<string> {
  return text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new RangeSlice(skip, limit)));
}

describe('RangeSlice', () => {
  it('skips and limits across chunk boundaries', async () => {
    assert.equal(await slice(['012', '345', '6789'], 2, 5), '23456');
    assert.equal(await slice(['0123456789'], 0, 1), '0');
    assert.equal(await slice(['01', '23'], 3, Number.POSITIVE_INFINITY), '3');
    assert.equal(await slice(['01', '23'], 9, 2), '');
  });
});

describe('rangeCorrection', () => {
  it('leaves a correct 206 answer alone', () => {
    assert.equal(rangeCorrection('bytes 2-5/10', 2, 5), undefined);
    assert.equal(rangeCorrection('bytes 7-9/10', 7, 100), undefined);
    assert.equal(rangeCorrection('bytes 3-9/10', 3, undefined), undefined);
  });

  it('cuts a whole-object answer (no Content-Range) or an over-long one down to the request', () => {
    assert.deepEqual(rangeCorrection(undefined, 2, 5), { skip: 2, limit: 4 });
    assert.deepEqual(rangeCorrection('bytes 0-9/10', 0, 0), { skip: 0, limit: 1 });
    assert.deepEqual(rangeCorrection(undefined, 3, undefined), { skip: 3, limit: Number.POSITIVE_INFINITY });
  });

  it('refuses an answer that starts after the requested start', () => {
    assert.throws(() => rangeCorrection('bytes 5-9/10', 2, 9));
  });
});
