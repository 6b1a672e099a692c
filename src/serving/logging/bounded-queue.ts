import { invalidArgument } from '../../errors/index.js';

/**
 * A fixed-capacity FIFO ring buffer that never grows and never waits: `push` is O(1) and, when the
 * buffer is full, refuses the item and counts it as dropped. A slow consumer therefore costs a bounded
 * amount of memory and lost items, never a stalled producer (the failure KServe's logger had: kserve#6167).
 */
export class BoundedQueue<T> {
  readonly capacity: number;
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;
  private droppedCount = 0;
  private acceptedCount = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw invalidArgument(`queue capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Items waiting. */
  get size(): number {
    return this.count;
  }

  /** Items refused because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Items ever accepted. */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** Appends `item`; false (and one more drop) when the queue is full. */
  push(item: T): boolean {
    if (this.count === this.capacity) {
      this.droppedCount++;
      return false;
    }
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count++;
    this.acceptedCount++;
    return true;
  }

  /** Removes and returns up to `max` items, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.slots[this.head] as T;
      this.slots[this.head] = undefined; // let the payload be collected
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= n;
    return out;
  }
}
