import type { NamedTensors } from '../../models/index.js';
import type { ConditionSpec, Scalar } from '../deployment/index.js';
import type { JsonValue } from '../types.js';

/** What a condition can look at: the tensors a step receives, and the request's parameters and headers. */
export interface ConditionSubject {
  inputs: NamedTensors;
  parameters?: Record<string, JsonValue> | undefined;
  headers?: Record<string, string> | undefined;
}

type Value = string | number | boolean;

function compare(actual: Value, c: ConditionSpec): boolean {
  const v = c.value as Scalar | Scalar[];
  // A header is text: compare it as a number when the condition's value is one.
  const a =
    typeof actual === 'string' && typeof v === 'number' && actual.trim() !== '' ? Number(actual) : actual;
  switch (c.op) {
    case 'eq':
      return same(a, v as Scalar);
    case 'ne':
      return !same(a, v as Scalar);
    case 'in':
      return (v as Scalar[]).some((x) => same(a, x));
    case 'lt':
      return typeof a === 'number' && a < (v as number);
    case 'le':
      return typeof a === 'number' && a <= (v as number);
    case 'gt':
      return typeof a === 'number' && a > (v as number);
    case 'ge':
      return typeof a === 'number' && a >= (v as number);
    default:
      return true;
  }
}

// Tensor BOOL elements are 0/1 bytes in canonical form; `true` in a spec means 1.
const same = (a: Value, b: Scalar) => a === b || (typeof b === 'boolean' && a === (b ? 1 : 0));

/**
 * Whether a KServe step's condition holds (KServe tests a gjson path on the JSON body; Osprey tests
 * one named tensor, parameter or header). A tensor passes when every element passes, so a batch is
 * routed as a whole; a missing subject fails every op (and `exists`).
 */
export function conditionHolds(c: ConditionSpec, subject: ConditionSubject): boolean {
  if (c.input !== undefined) {
    const tensor = subject.inputs[c.input];
    if (!tensor) return false;
    if (c.op === 'exists') return true;
    const data = tensor.data as ArrayLike<unknown>;
    for (let i = 0; i < data.length; i++) {
      const raw = data[i];
      const value = typeof raw === 'bigint' ? Number(raw) : (raw as Value);
      if (!compare(value, c)) return false;
    }
    return data.length > 0;
  }
  if (c.parameter !== undefined) {
    const value = subject.parameters?.[c.parameter];
    if (value === undefined || value === null) return false;
    if (c.op === 'exists') return true;
    return typeof value === 'object' ? false : compare(value, c);
  }
  const header = subject.headers?.[(c.header ?? '').toLowerCase()];
  if (header === undefined) return false;
  return c.op === 'exists' || compare(header, c);
}
