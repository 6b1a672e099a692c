import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OspreyError } from '../../errors/index.js';
import { inferSignature, normalizeTable, parseModelUri } from './index.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof OspreyError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);

describe('inferSignature', () => {
  it('turns all-numeric rows into one [-1, F] matrix with column names', () => {
    const sig = inferSignature([
      { sepal: 5.1, petal: 1.4 },
      { sepal: 4.9, petal: 1.3 },
    ]);
    assert.deepEqual(sig, {
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2], columns: ['sepal', 'petal'] }],
      outputs: [],
    });
    const wide = inferSignature({ columns: ['a'], data: [[1]] }, { floatType: 'FP64', inputName: 'x' });
    assert.deepEqual(wide.inputs, [{ name: 'x', datatype: 'FP64', shape: [-1, 1], columns: ['a'] }]);
  });

  it('gives mixed rows one tensor per column', () => {
    const sig = inferSignature([{ age: 31, city: 'Oslo', member: true }], {
      outputExample: [{ score: 0.3 }],
    });
    assert.deepEqual(sig, {
      inputs: [
        { name: 'age', datatype: 'FP32', shape: [-1] },
        { name: 'city', datatype: 'BYTES', shape: [-1] },
        { name: 'member', datatype: 'BOOL', shape: [-1] },
      ],
      outputs: [{ name: 'score', datatype: 'FP32', shape: [-1] }],
    });
  });

  it('reads named tensors and OIP requests, making the batch dimension variable', () => {
    const tensors = { x: { datatype: 'INT64', shape: [3, 4], data: new BigInt64Array(12) } };
    assert.deepEqual(inferSignature(tensors).inputs, [{ name: 'x', datatype: 'INT64', shape: [-1, 4] }]);
    const oip = { inputs: [{ name: 'text', datatype: 'BYTES', shape: [2], data: ['a', 'b'] }] };
    assert.deepEqual(inferSignature(oip).inputs, [{ name: 'text', datatype: 'BYTES', shape: [-1] }]);
  });

  it('rejects examples it cannot read, naming the column', () => {
    assert.throws(() => inferSignature([{ a: 1 }, { a: 'x' }]), invalid(/column 'a' must hold only/));
    assert.throws(() => inferSignature([]), invalid(/has no rows/));
    assert.throws(() => inferSignature(42), invalid(/input example must be/));
    assert.throws(
      () => inferSignature({ t: { datatype: 'F32', shape: [1] } }),
      invalid(/unknown datatype F32/),
    );
  });
});

describe('normalizeTable', () => {
  it('unions record keys in order of appearance and checks split rows', () => {
    assert.deepEqual(normalizeTable([{ a: 1 }, { b: 2, a: 3 }]), {
      columns: ['a', 'b'],
      rows: [
        [1, undefined],
        [3, 2],
      ],
    });
    assert.throws(
      () => normalizeTable({ columns: ['a', 'b'], data: [[1]] }),
      invalid(/data row 0 must be a list of 2/),
    );
  });
});

describe('parseModelUri', () => {
  it('parses every supported form', () => {
    assert.deepEqual(parseModelUri('runs:/abc123/models/clf/'), {
      kind: 'run',
      runId: 'abc123',
      path: 'models/clf',
    });
    assert.deepEqual(parseModelUri('models:/fraud/3'), { kind: 'registry', uri: 'models:/fraud/3' });
    assert.deepEqual(parseModelUri('models:/fraud@champion'), {
      kind: 'registry',
      uri: 'models:/fraud@champion',
    });
    assert.deepEqual(parseModelUri('file:///tmp/m'), { kind: 'path', path: '/tmp/m' });
    assert.deepEqual(parseModelUri('pkg/m', '/work'), { kind: 'path', path: '/work/pkg/m' });
  });

  it('rejects malformed and unsupported URIs', () => {
    assert.throws(() => parseModelUri('runs:/abc'), invalid(/expected runs:\/<runId>\/<artifact path>/));
    assert.throws(() => parseModelUri('runs:/abc/../x'), invalid(/expected runs:/));
    assert.throws(() => parseModelUri('s3://bucket/m'), invalid(/unsupported model URI/));
    assert.throws(() => parseModelUri(''), invalid(/model URI must be/));
  });
});
