import { invalidArgument, OspreyError } from '../../errors/index.js';
import {
  elementCount,
  isDatatype,
  type Signature,
  type Tensor,
  type TensorSpec,
  toCanonicalData,
} from '../package/index.js';
import type { NamedTensors } from './predictor.js';

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** True when `shape` fits `spec` (same rank; -1 matches any size). */
export function shapeMatches(shape: readonly number[], spec: readonly number[]): boolean {
  return shape.length === spec.length && shape.every((d, i) => spec[i] === -1 || spec[i] === d);
}

/**
 * Checks inputs against a signature and brings their data to canonical form: every declared input
 * present, no unknown ones, datatypes equal, shapes compatible, element counts right. Without a
 * signature each tensor is only checked for consistency. INVALID_ARGUMENT names the input.
 */
export function checkInputs(inputs: unknown, signature: Signature | undefined): NamedTensors {
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    throw invalidArgument('inputs must be an object of named tensors { name: { datatype, shape, data } }');
  }
  const given = inputs as Record<string, unknown>;
  if (!signature) {
    return Object.fromEntries(Object.entries(given).map(([n, t]) => [n, checkTensor(`input '${n}'`, t)]));
  }
  const expected = signature.inputs.map((s) => s.name);
  const unknown = Object.keys(given).filter((n) => !expected.includes(n));
  if (unknown.length > 0) {
    throw invalidArgument(`unknown input '${unknown[0]}' (the model takes: ${expected.join(', ')})`);
  }
  const out: NamedTensors = {};
  for (const spec of signature.inputs) {
    if (!(spec.name in given)) {
      throw invalidArgument(
        `missing input '${spec.name}' (${spec.datatype} ${shapeText(spec.shape)}); the model takes: ${expected.join(', ')}`,
      );
    }
    out[spec.name] = checkTensor(`input '${spec.name}'`, given[spec.name], spec);
  }
  return out;
}

/**
 * Checks what a runtime returned: tensors well formed (element count = shape), every declared output
 * present, data converted to the declared datatype. A failure here is the model's fault, so the
 * error is INTERNAL.
 */
export function checkOutputs(outputs: unknown, signature: Signature | undefined): NamedTensors {
  try {
    if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs)) {
      throw invalidArgument('the model must return an object of named tensors');
    }
    const given = outputs as Record<string, unknown>;
    const out: NamedTensors = {};
    for (const [name, tensor] of Object.entries(given)) {
      const spec = signature?.outputs.find((s) => s.name === name);
      out[name] = checkTensor(`output '${name}'`, tensor, spec, true);
    }
    const missing = signature?.outputs.find((s) => !(s.name in given));
    if (missing) throw invalidArgument(`the model did not return output '${missing.name}'`);
    return out;
  } catch (error) {
    if (error instanceof OspreyError) throw new OspreyError('INTERNAL', `model output: ${error.message}`);
    throw error;
  }
}

/**
 * Checks one tensor (against its spec when given) and returns it with canonical data. Inputs must
 * match the spec's datatype and shape; outputs (`isOutput`) are converted to the spec's datatype.
 */
export function checkTensor(what: string, value: unknown, spec?: TensorSpec, isOutput = false): Tensor {
  if (value === null || typeof value !== 'object')
    throw invalidArgument(`${what} must be { datatype, shape, data }`);
  const { datatype, shape, data } = value as Record<string, unknown>;
  if (!isDatatype(datatype)) throw invalidArgument(`${what}: unknown datatype ${JSON.stringify(datatype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidArgument(`${what}: shape must be a list of non-negative integers`);
  }
  if (spec && datatype !== spec.datatype && !isOutput) {
    throw invalidArgument(`${what}: datatype ${datatype} does not match the signature's ${spec.datatype}`);
  }
  // Output shapes in a signature describe; only input shapes are enforced.
  if (spec && !isOutput && !shapeMatches(shape, spec.shape)) {
    throw invalidArgument(
      `${what}: shape ${shapeText(shape)} does not match the signature's ${shapeText(spec.shape)} (-1 = any size)`,
    );
  }
  const target = spec?.datatype ?? datatype;
  const canonical = toCanonicalData(target, data, what);
  const count = elementCount(shape);
  if (canonical.length !== count) {
    throw invalidArgument(
      `${what}: shape ${shapeText(shape)} needs ${count} elements, data has ${canonical.length}`,
    );
  }
  return { datatype: target, shape: [...shape], data: canonical };
}

/**
 * True when a declared shape can describe what a model declares: same rank, and equal sizes where
 * both are fixed (-1 on either side matches). A model shape of rank 0 is taken as unknown.
 */
export function shapesCompatible(declared: readonly number[], model: readonly number[]): boolean {
  if (model.length === 0) return true;
  return (
    declared.length === model.length &&
    declared.every((d, i) => d === -1 || model[i] === -1 || d === model[i])
  );
}

/**
 * Checks a manifest signature against the one the model declares: every declared input and output
 * must exist in the model with the same datatype and a compatible shape, and every model input must
 * be declared.
 */
export function checkSignatureAgainstModel(declared: Signature, model: Signature, source: string): void {
  const compare = (kind: 'input' | 'output', mine: readonly TensorSpec[], theirs: readonly TensorSpec[]) => {
    for (const spec of mine) {
      const found = theirs.find((s) => s.name === spec.name);
      if (!found) {
        throw invalidArgument(
          `signature ${kind} '${spec.name}' is not an ${kind} of ${source} (it has: ${theirs.map((s) => s.name).join(', ')})`,
        );
      }
      if (found.datatype !== spec.datatype) {
        throw invalidArgument(
          `signature ${kind} '${spec.name}' is ${spec.datatype} but ${source} declares ${found.datatype}`,
        );
      }
      if (!shapesCompatible(spec.shape, found.shape)) {
        throw invalidArgument(
          `signature ${kind} '${spec.name}' has shape ${shapeText(spec.shape)} but ${source} declares ${shapeText(found.shape)}`,
        );
      }
    }
  };
  compare('input', declared.inputs, model.inputs);
  compare('output', declared.outputs, model.outputs);
  const undeclared = model.inputs.find((s) => !declared.inputs.some((d) => d.name === s.name));
  if (undeclared)
    throw invalidArgument(`${source} needs input '${undeclared.name}', which the signature lacks`);
}
