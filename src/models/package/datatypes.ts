/**
 * Open Inference Protocol tensor datatypes (OIP `inference_rest.md`, "Tensor Data Types"), with the
 * element size in bytes (0 = variable, BYTES). BF16 is a KServe/Triton addition and is left out: no
 * Osprey runtime can compute in it.
 */
export const DATATYPE_SIZES = Object.freeze({
  BOOL: 1,
  UINT8: 1,
  UINT16: 2,
  UINT32: 4,
  UINT64: 8,
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FP16: 2,
  FP32: 4,
  FP64: 8,
  BYTES: 0,
} as const);

/** An Open Inference Protocol tensor datatype. */
export type Datatype = keyof typeof DATATYPE_SIZES;

/** Every datatype, in the order the protocol lists them. */
export const DATATYPES = Object.freeze(Object.keys(DATATYPE_SIZES) as Datatype[]);

/** True when `value` names an Open Inference Protocol datatype. */
export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && Object.hasOwn(DATATYPE_SIZES, value);
}

/** Inclusive value ranges of the integer datatypes held in JS numbers (the 64-bit ones use bigint). */
export const INTEGER_RANGES: Readonly<Partial<Record<Datatype, readonly [number, number]>>> = Object.freeze({
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
});
