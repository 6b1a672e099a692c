import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConditionSpec } from '../deployment/index.js';
import { type ConditionSubject, conditionHolds } from './conditions.js';
import { fp64 } from './test-support/fake-nodes.js';

const subject: ConditionSubject = {
  inputs: {
    amount: fp64([10, 20, 30]),
    flag: { datatype: 'BOOL', shape: [2], data: Uint8Array.from([1, 1]) },
    id: { datatype: 'INT64', shape: [1], data: BigInt64Array.from([7n]) },
    empty: fp64([]),
  },
  parameters: { tier: 'gold', score: 0.8, nested: { a: 1 } },
  headers: { 'x-region': 'eu', 'x-weight': '12' },
};
const holds = (c: ConditionSpec) => conditionHolds(c, subject);

describe('step conditions', () => {
  it('tests every element of a tensor', () => {
    assert.equal(holds({ input: 'amount', op: 'ge', value: 10 }), true);
    assert.equal(holds({ input: 'amount', op: 'gt', value: 10 }), false);
    assert.equal(holds({ input: 'amount', op: 'lt', value: 31 }), true);
    assert.equal(holds({ input: 'amount', op: 'le', value: 29 }), false);
    assert.equal(holds({ input: 'amount', op: 'in', value: [10, 20, 30] }), true);
    assert.equal(holds({ input: 'amount', op: 'ne', value: 20 }), false);
    assert.equal(holds({ input: 'id', op: 'eq', value: 7 }), true, 'INT64 elements compare as numbers');
    assert.equal(holds({ input: 'flag', op: 'eq', value: true }), true, 'BOOL 1 is true');
    assert.equal(holds({ input: 'empty', op: 'ge', value: 0 }), false, 'an empty tensor passes nothing');
    assert.equal(holds({ input: 'amount', op: 'exists' }), true);
    assert.equal(holds({ input: 'missing', op: 'exists' }), false);
  });

  it('tests request parameters', () => {
    assert.equal(holds({ parameter: 'tier', op: 'eq', value: 'gold' }), true);
    assert.equal(holds({ parameter: 'score', op: 'gt', value: 0.5 }), true);
    assert.equal(
      holds({ parameter: 'tier', op: 'gt', value: 0.5 }),
      false,
      'text is not ordered against a number',
    );
    assert.equal(holds({ parameter: 'nested', op: 'eq', value: 1 }), false);
    assert.equal(holds({ parameter: 'nested', op: 'exists' }), true);
    assert.equal(holds({ parameter: 'absent', op: 'exists' }), false);
  });

  it('tests headers case-insensitively, as numbers when the value is one', () => {
    assert.equal(holds({ header: 'X-Region', op: 'in', value: ['eu', 'us'] }), true);
    assert.equal(holds({ header: 'x-weight', op: 'gt', value: 11 }), true);
    assert.equal(holds({ header: 'x-weight', op: 'eq', value: 12 }), true);
    assert.equal(holds({ header: 'x-region', op: 'gt', value: 1 }), false);
    assert.equal(holds({ header: 'x-none', op: 'exists' }), false);
  });
});
