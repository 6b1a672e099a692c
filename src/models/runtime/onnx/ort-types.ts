import { invalidArgument } from '../../../errors/index.js';
import type { Datatype, Signature, Tensor, TensorSpec, TypedArray } from '../../package/index.js';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';

/** A tensor as it crosses to and from the worker: ORT type name, dims and data. */
export interface WireTensor {
  type: string;
  dims: number[];
  data: TypedArray | string[];
}

/** ORT metadata of one model input or output, as the worker reports it. */
export interface OrtValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

const TO_ORT: Record<Datatype, string> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const FROM_ORT: Record<string, Datatype> = Object.fromEntries(
  Object.entries(TO_ORT).map(([dt, ort]) => [ort, dt as Datatype]),
);

/** A canonical Osprey tensor as ORT wants it (FP16 as raw bits). */
export function toWire(tensor: Tensor): WireTensor {
  const data =
    tensor.datatype === 'FP16'
      ? Uint16Array.from(tensor.data as Float32Array, toFloat16Bits)
      : (tensor.data as TypedArray | string[]);
  return { type: TO_ORT[tensor.datatype], dims: tensor.shape, data };
}

/** An ORT output as a canonical Osprey tensor. */
export function fromWire(wire: WireTensor): Tensor {
  const datatype = FROM_ORT[wire.type];
  if (!datatype) throw invalidArgument(`onnxruntime returned a tensor of unsupported type ${wire.type}`);
  const data = datatype === 'FP16' ? Float32Array.from(wire.data as Uint16Array, fromFloat16Bits) : wire.data;
  return { datatype, shape: [...wire.dims], data };
}

/** The model's own signature from ORT metadata (symbolic and unknown dimensions become -1). */
export function signatureFromOrt(inputs: OrtValueInfo[], outputs: OrtValueInfo[], file: string): Signature {
  const spec = (info: OrtValueInfo): TensorSpec => {
    const datatype = info.type ? FROM_ORT[info.type] : undefined;
    if (!info.isTensor || !datatype) {
      throw invalidArgument(
        `${file}: '${info.name}' is not a tensor of a supported type (${info.type ?? 'non-tensor'})`,
      );
    }
    return {
      name: info.name,
      datatype,
      shape: (info.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
    };
  };
  // Non-tensor outputs (e.g. ZipMap's sequence of maps) cannot travel as OIP tensors: they are not
  // fetched, and so not part of the signature.
  const tensors = outputs.filter((o) => o.isTensor && o.type !== undefined && o.type in FROM_ORT);
  return { inputs: inputs.map(spec), outputs: tensors.map(spec) };
}
