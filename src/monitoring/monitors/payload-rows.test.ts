import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestRows, responsePredictions } from './payload-rows.js';

const body = (inputs: unknown[]) => ({ id: 'r', inputs });
const x = { name: 'x', datatype: 'FP64', shape: [2, 2], data: [1, 2, 3, 4] };

describe('payload rows', () => {
  it('maps features onto columns of a [batch, n] tensor and onto whole tensors', () => {
    const c = { name: 'c', datatype: 'BYTES', shape: [2], data: ['u', 'v'] };
    const rows = requestRows(body([x, c]), [
      { name: 'a', input: 'x', index: 1 },
      { name: 'c', input: 'c' },
    ]);
    assert.deepEqual(rows, {
      rows: [
        [2, 'u'],
        [4, 'v'],
      ],
      nonFinite: 0,
    });
    assert.deepEqual(requestRows(body([x]), [{ name: 'a' }, { name: 'b' }]), {
      rows: [
        [1, 2],
        [3, 4],
      ],
      nonFinite: 0,
    });
    const single = { name: 'x', datatype: 'FP64', shape: [3], data: [5, 6, 7] };
    assert.deepEqual(
      requestRows(body([single]), [
        { name: 'a', index: 0 },
        { name: 'b', index: 2 },
      ]),
      { rows: [[5, 7]], nonFinite: 0 },
    );
  });

  it('turns null, NaN and Infinity into missing values and counts them', () => {
    const bad = { name: 'x', datatype: 'FP64', shape: [2, 2], data: [null, 'NaN', '-Infinity', 1] };
    assert.deepEqual(requestRows(body([bad]), [{ name: 'a' }, { name: 'b' }]), {
      rows: [
        [null, null],
        [null, 1],
      ],
      nonFinite: 3,
    });
  });

  it('explains requests that do not match the features', () => {
    const feature = [{ name: 'a', input: 'z' }];
    assert.deepEqual(requestRows(body([x]), feature), {
      error: 'request has no input tensor "z" (feature "a")',
    });
    assert.deepEqual(requestRows(body([x]), [{ name: 'a', index: 5 }]), {
      error: 'feature "a": column 5 is out of range (tensor "x" has width 2)',
    });
    assert.deepEqual(requestRows(body([x]), [{ name: 'a' }]), {
      error: 'feature "a": tensor "x" has 2 values per row: give the feature an index',
    });
    const short = { name: 'y', datatype: 'FP64', shape: [3], data: [1, 2, 3] };
    assert.match(
      (
        requestRows(body([x, short]), [
          { name: 'a', index: 0, input: 'x' },
          { name: 'b', input: 'y' },
        ]) as { error: string }
      ).error,
      /has 3 rows where others have 2/,
    );
    assert.deepEqual(requestRows({}, [{ name: 'a' }]), { error: 'request has no input tensors' });
  });

  it('reads per-row predictions from a response', () => {
    const outputs = [
      {
        name: 'p',
        datatype: 'FP64',
        shape: [2, 2],
        data: [
          [0.2, 0.8],
          [0.9, 0.1],
        ],
      },
    ];
    assert.deepEqual(responsePredictions({ outputs }), [
      [0.2, 0.8],
      [0.9, 0.1],
    ]);
    assert.equal(responsePredictions({ outputs }, 'q'), undefined);
  });
});
