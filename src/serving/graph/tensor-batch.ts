import { invalidArgument, OspreyError } from '../../errors/index.js';
import { type NamedTensors, type TensorData, type TypedArray, toCanonicalData } from '../../models/index.js';

/** The rows of a request: the first dimension every input shares (INVALID_ARGUMENT otherwise). */
export function batchRows(inputs: NamedTensors): number {
  let rows: number | undefined;
  for (const [name, tensor] of Object.entries(inputs)) {
    const first = tensor.shape[0];
    if (first === undefined)
      throw invalidArgument(`input '${name}' is a scalar: batching needs a first (batch) dimension`);
    if (rows !== undefined && first !== rows) {
      throw invalidArgument(
        `inputs disagree on the batch dimension: '${name}' has ${first} rows, others ${rows}`,
      );
    }
    rows = first;
  }
  if (rows === undefined) throw invalidArgument('a request needs at least one input');
  return rows;
}

/** Requests with equal keys (names, datatypes, shapes past dim 0) can share a batch. */
export function batchKey(inputs: NamedTensors): string {
  return Object.keys(inputs)
    .sort()
    .map((name) => `${name}:${inputs[name]!.datatype}:${inputs[name]!.shape.slice(1).join('x')}`)
    .join('|');
}

function concatData(parts: (TypedArray | string[])[]): TensorData {
  const first = parts[0]!;
  if (Array.isArray(first)) return (parts as string[][]).flat();
  const total = parts.reduce((n, p) => n + p.length, 0);
  const Kind = first.constructor as unknown as new (n: number) => TypedArray;
  const out = new Kind(total);
  let offset = 0;
  for (const p of parts as TypedArray[]) {
    (out as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Concatenates requests of equal key along dimension 0 (MLServer `adaptive.py` batching). */
export function concatRows(requests: readonly NamedTensors[]): NamedTensors {
  const out: NamedTensors = {};
  for (const [name, tensor] of Object.entries(requests[0]!)) {
    const parts = requests.map((r) => toCanonicalData(tensor.datatype, r[name]!.data, `input '${name}'`));
    const rows = requests.reduce((n, r) => n + r[name]!.shape[0]!, 0);
    out[name] = {
      datatype: tensor.datatype,
      shape: [rows, ...tensor.shape.slice(1)],
      data: concatData(parts),
    };
  }
  return out;
}

/**
 * Splits batch outputs back into one answer per request, by each request's rows. Every output must
 * have the batch as its first dimension; INTERNAL naming the output otherwise.
 */
export function splitRows(outputs: NamedTensors, rows: readonly number[]): NamedTensors[] {
  const total = rows.reduce((a, b) => a + b, 0);
  const answers: NamedTensors[] = rows.map(() => ({}));
  for (const [name, tensor] of Object.entries(outputs)) {
    if (tensor.shape[0] !== total) {
      throw new OspreyError(
        'INTERNAL',
        `output '${name}' has shape [${tensor.shape.join(', ')}], whose first dimension is not the batch's ${total} rows, so it cannot be split back: turn batching off for this node`,
      );
    }
    const data = toCanonicalData(tensor.datatype, tensor.data, `output '${name}'`);
    const width = total === 0 ? 0 : data.length / total;
    let row = 0;
    rows.forEach((n, i) => {
      answers[i]![name] = {
        datatype: tensor.datatype,
        shape: [n, ...tensor.shape.slice(1)],
        data: data.slice(row * width, (row + n) * width) as TensorData,
      };
      row += n;
    });
  }
  return answers;
}
