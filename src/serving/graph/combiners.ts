import { OspreyError } from '../../errors/index.js';
import type { NamedTensors, Tensor, TypedArray } from '../../models/index.js';
import type { CombinerType } from '../deployment/index.js';

const NUMERIC = new Set([
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
]);

function elements(tensor: Tensor): unknown[] {
  return Array.from(tensor.data as ArrayLike<unknown>);
}

// Each child's tensor of one output, checked to agree in shape (and datatype when `sameType`).
function gather(outputs: readonly NamedTensors[], name: string, node: string, sameType: boolean): Tensor[] {
  const first = outputs[0]![name]!;
  return outputs.map((o, i) => {
    const t = o[name];
    const shape = (s: number[]) => `[${s.join(', ')}]`;
    if (!t) throw new OspreyError('INTERNAL', `combiner '${node}': child ${i} has no output '${name}'`);
    if (shape(t.shape) !== shape(first.shape) || (sameType && t.datatype !== first.datatype)) {
      throw new OspreyError(
        'INTERNAL',
        `combiner '${node}': output '${name}' of child ${i} is ${t.datatype}${shape(t.shape)}, child 0 gave ${first.datatype}${shape(first.shape)}`,
      );
    }
    return t;
  });
}

/** Element-wise mean of each output over the children (Seldon's ensemble example: (X0 + X1) / 2). */
function mean(outputs: readonly NamedTensors[], node: string): NamedTensors {
  const out: NamedTensors = {};
  for (const name of Object.keys(outputs[0]!)) {
    const tensors = gather(outputs, name, node, false);
    if (!tensors.every((t) => NUMERIC.has(t.datatype))) {
      throw new OspreyError('INTERNAL', `combiner '${node}': cannot average non-numeric output '${name}'`);
    }
    const sum = new Float64Array(elements(tensors[0]!).length);
    for (const t of tensors) {
      const values = elements(t);
      for (let i = 0; i < sum.length; i++) sum[i]! += Number(values[i]);
    }
    for (let i = 0; i < sum.length; i++) sum[i]! /= tensors.length;
    const fp32 = tensors.every((t) => t.datatype === 'FP32' || t.datatype === 'FP16');
    out[name] = {
      datatype: fp32 ? 'FP32' : 'FP64',
      shape: [...tensors[0]!.shape],
      data: fp32 ? Float32Array.from(sum) : sum,
    };
  }
  return out;
}

/** Element-wise majority vote of each output; a tie goes to the tied value the earliest child gave. */
function majority(outputs: readonly NamedTensors[], node: string): NamedTensors {
  const out: NamedTensors = {};
  for (const name of Object.keys(outputs[0]!)) {
    const tensors = gather(outputs, name, node, true);
    const votes = tensors.map(elements);
    const winners = votes[0]!.map((_, i) => {
      const counts = new Map<unknown, number>();
      for (const child of votes) counts.set(child[i], (counts.get(child[i]) ?? 0) + 1);
      const top = Math.max(...counts.values());
      return votes.find((child) => counts.get(child[i]) === top)![i];
    });
    const first = tensors[0]!;
    const data = Array.isArray(first.data)
      ? (winners as (string | number | boolean)[])
      : (first.data.constructor as unknown as { from(values: unknown[]): TypedArray }).from(winners);
    out[name] = { datatype: first.datatype, shape: [...first.shape], data };
  }
  return out;
}

/** The built-in combiner of that type, over the outputs of every child in child order. */
export function builtinCombiner(type: CombinerType, node: string) {
  return (outputs: readonly NamedTensors[]): NamedTensors => {
    if (outputs.length === 0) throw new OspreyError('INTERNAL', `combiner '${node}' received no outputs`);
    return type === 'mean' ? mean(outputs, node) : majority(outputs, node);
  };
}
