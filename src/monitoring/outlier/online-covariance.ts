/**
 * Running mean and covariance by Welford's algorithm in its multivariate form (Welford 1962;
 * see also Chan, Golub & LeVeque 1983): after each row x,
 *   n ← n + 1,  δ = x − μ,  μ ← μ + δ/n,  M ← M + ((n − 1)/n) δ δᵀ,
 * so M = Σ (x_i − μ)(x_i − μ)ᵀ without a second pass and without the cancellation of Σxxᵀ − nμμᵀ.
 */
import { invalidArgument } from '../../errors/index.js';

export interface OnlineCovarianceState {
  n: number;
  mean: number[];
  /** Row-major d×d matrix of summed outer products of deviations. */
  m2: number[];
}

/** Running mean and covariance of fixed-width rows; O(d²) per row, mergeable into saved state. */
export class OnlineCovariance {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly dimension: number) {
    if (!Number.isInteger(dimension) || dimension < 1)
      throw invalidArgument('dimension must be a positive integer');
    this.mean = new Float64Array(dimension);
    this.m2 = new Float64Array(dimension * dimension);
  }

  /** Adds one row. */
  update(x: readonly number[]): void {
    const d = this.dimension;
    if (x.length !== d) throw invalidArgument(`expected ${d} values, got ${x.length}`);
    this.n += 1;
    const delta = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      delta[k] = (x[k] as number) - (this.mean[k] as number);
      this.mean[k] = (this.mean[k] as number) + (delta[k] as number) / this.n;
    }
    const w = (this.n - 1) / this.n;
    for (let a = 0; a < d; a++) {
      const da = (delta[a] as number) * w;
      for (let b = 0; b < d; b++)
        this.m2[a * d + b] = (this.m2[a * d + b] as number) + da * (delta[b] as number);
    }
  }

  /** Number of rows seen. */
  get count(): number {
    return this.n;
  }

  /** Current mean. */
  getMean(): number[] {
    return Array.from(this.mean);
  }

  /** Sample covariance (divisor n − 1) as a d×d array. */
  covariance(): number[][] {
    const d = this.dimension;
    if (this.n < 2) throw invalidArgument('covariance needs at least two rows');
    return Array.from({ length: d }, (_, a) =>
      Array.from({ length: d }, (_, b) => (this.m2[a * d + b] as number) / (this.n - 1)),
    );
  }

  /** Plain JSON state. */
  toJSON(): OnlineCovarianceState {
    return { n: this.n, mean: Array.from(this.mean), m2: Array.from(this.m2) };
  }

  /** Restores from `toJSON`. */
  static fromJSON(state: OnlineCovarianceState): OnlineCovariance {
    const c = new OnlineCovariance(state.mean.length);
    if (state.m2.length !== state.mean.length ** 2)
      throw invalidArgument('covariance state has the wrong size');
    c.n = state.n;
    c.mean.set(state.mean);
    c.m2.set(state.m2);
    return c;
  }
}
