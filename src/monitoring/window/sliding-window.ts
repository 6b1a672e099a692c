/**
 * Online use of any batch detector: samples arrive one at a time or in chunks, and the detector
 * runs on the most recent `size` samples every `step` new samples.
 *
 * - tumbling window: step = size, windows do not overlap (each sample is evaluated once);
 * - sliding window: step < size, consecutive windows overlap by size − step samples;
 * - step > size gives hopping windows that skip samples between them.
 * The first result comes when `size` samples have arrived. Samples live in a ring buffer, so a
 * push is O(1) and only an emission copies the window.
 */
import { invalidArgument } from '../../errors/index.js';

export interface WindowOptions<T, R> {
  size: number;
  /** Samples between emissions once the window is full (default 1 for sliding windows). */
  step?: number;
  /** Runs on each completed window (oldest sample first). May return a Promise. */
  evaluate: (window: T[]) => R;
}

export interface WindowState<T> {
  kind: 'window';
  version: 1;
  size: number;
  step: number;
  /** Buffered samples, oldest first. */
  buffer: T[];
  /** Samples since the last emission. */
  pending: number;
  emitted: number;
}

/** A window over a stream that evaluates a detector when it completes. */
export class StreamWindow<T, R> {
  readonly size: number;
  readonly step: number;
  private readonly evaluate: (window: T[]) => R;
  private ring: T[] = [];
  private start = 0;
  private pending = 0;
  private emitted = 0;

  constructor(options: WindowOptions<T, R>) {
    const { size, step = 1, evaluate } = options;
    if (!Number.isInteger(size) || size < 1) throw invalidArgument('window size must be a positive integer');
    if (!Number.isInteger(step) || step < 1) throw invalidArgument('window step must be a positive integer');
    if (typeof evaluate !== 'function') throw invalidArgument('window needs an evaluate function');
    this.size = size;
    this.step = step;
    this.evaluate = evaluate;
  }

  /** Adds one sample; returns the result when this sample completes a window. */
  push(sample: T): R | undefined {
    if (this.ring.length < this.size) this.ring.push(sample);
    else {
      this.ring[this.start] = sample;
      this.start = (this.start + 1) % this.size;
    }
    this.pending++;
    const due = this.emitted === 0 ? this.ring.length === this.size : this.pending >= this.step;
    if (!due || this.ring.length < this.size) return undefined;
    this.pending = 0;
    this.emitted++;
    return this.evaluate(this.window());
  }

  /** Adds samples in order; returns every result they complete. */
  pushMany(samples: Iterable<T>): R[] {
    const out: R[] = [];
    for (const s of samples) {
      const r = this.push(s);
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /** The buffered samples, oldest first. */
  window(): T[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }

  /** Number of results emitted so far. */
  get emittedCount(): number {
    return this.emitted;
  }

  /** Drops buffered samples (e.g. after acting on a drift alarm). */
  reset(): void {
    this.ring = [];
    this.start = 0;
    this.pending = 0;
    this.emitted = 0;
  }

  /** Plain JSON state; samples must themselves be JSON-serialisable. */
  toJSON(): WindowState<T> {
    return {
      kind: 'window',
      version: 1,
      size: this.size,
      step: this.step,
      buffer: this.window(),
      pending: this.pending,
      emitted: this.emitted,
    };
  }

  /** Resumes a window saved with `toJSON`, evaluating with `evaluate`. */
  static fromJSON<T, R>(state: WindowState<T>, evaluate: (window: T[]) => R): StreamWindow<T, R> {
    if (state?.kind !== 'window' || state.version !== 1)
      throw invalidArgument('not a window state (version 1)');
    const w = new StreamWindow<T, R>({ size: state.size, step: state.step, evaluate });
    if (!Array.isArray(state.buffer) || state.buffer.length > state.size)
      throw invalidArgument('window buffer is larger than the window');
    w.ring = [...state.buffer];
    w.pending = state.pending;
    w.emitted = state.emitted;
    return w;
  }
}

/** Non-overlapping windows of `size` samples. */
export function createTumblingWindow<T, R>(size: number, evaluate: (window: T[]) => R): StreamWindow<T, R> {
  return new StreamWindow({ size, step: size, evaluate });
}

/** Windows of the last `size` samples, evaluated every `step` samples (default 1). */
export function createSlidingWindow<T, R>(options: WindowOptions<T, R>): StreamWindow<T, R> {
  return new StreamWindow(options);
}

/** Anything with a batch `predict`, e.g. every detector in this module. */
export interface BatchPredictor {
  predict(batch: never): unknown;
}

/** The sample type a detector's `predict` takes a batch of (rows for tabular detectors). */
export type SampleOf<D extends BatchPredictor> = D['predict'] extends (batch: infer I) => unknown
  ? I extends readonly (infer T)[]
    ? T
    : never
  : never;

/** Wraps a detector: each completed window is passed to `detector.predict`. */
export function windowed<D extends BatchPredictor>(
  detector: D,
  options: { size: number; step?: number },
): StreamWindow<SampleOf<D>, ReturnType<D['predict']>> {
  type Batch = Parameters<D['predict']>[0];
  return new StreamWindow({
    size: options.size,
    step: options.step ?? options.size,
    // A window is an array of the detector's own samples, i.e. one of the batches it accepts.
    evaluate: (w: SampleOf<D>[]) => detector.predict(w as unknown as Batch) as ReturnType<D['predict']>,
  });
}
