/** Input checks shared by the performance metrics. */
import { invalidArgument } from '../../errors/index.js';

/** Label of a classification target or prediction. */
export type Label = number | string | boolean;

/** Throws unless both arrays are non-empty and of equal length. */
export function checkPaired(a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length === 0 || a.length !== b.length) {
    throw invalidArgument(`${what} needs two non-empty arrays of the same length`);
  }
}

/** Throws unless every value is a finite number. */
export function checkFinite(values: readonly number[], what: string): void {
  for (const v of values)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalidArgument(`${what} holds a non-finite value`);
}
