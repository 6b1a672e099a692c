import { invalidArgument } from '../../../errors/index.js';
import type { Feedback, InferenceRequest, ModelEndpoint } from '../../types.js';
import type { CloudEvent } from '../cloud-event.js';
import type { PayloadSink } from '../payload-sink.js';

/**
 * A trivial async model: doubles FP32 input `x` into output `y`. A request with parameter `fail: true`
 * is refused with INVALID_ARGUMENT. Feedback is recorded in `feedbacks`.
 */
export function doublingEndpoint(): ModelEndpoint & { feedbacks: Feedback[] } {
  const feedbacks: Feedback[] = [];
  return {
    name: 'doubler',
    version: '3',
    platform: 'js',
    signature: {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1] }],
    },
    ready: () => true,
    feedbacks,
    async infer(request: InferenceRequest) {
      if (request.parameters?.fail === true) throw invalidArgument('asked to fail');
      const x = request.inputs.x!;
      const y = Float32Array.from(x.data as Float32Array, (v) => v * 2);
      return { id: request.id, modelName: 'doubler', modelVersion: '3', outputs: { y: { ...x, data: y } } };
    },
    async feedback(f: Feedback) {
      feedbacks.push(f);
    },
  };
}

/** A request for `doublingEndpoint`. */
export function doublingRequest(id: string, headers?: Record<string, string>): InferenceRequest {
  const request: InferenceRequest = {
    id,
    inputs: { x: { datatype: 'FP32', shape: [3], data: Float32Array.of(1, 2, 3) } },
  };
  if (headers !== undefined) request.headers = headers;
  return request;
}

/** A sink keeping every batch in memory; `failNext` makes that many writes reject first. */
export function memorySink(): PayloadSink & {
  batches: CloudEvent[][];
  events(): CloudEvent[];
  failNext: number;
} {
  const sink = {
    uri: 'memory:',
    batches: [] as CloudEvent[][],
    failNext: 0,
    events: () => sink.batches.flat(),
    async write(events: readonly CloudEvent[]) {
      if (sink.failNext > 0) {
        sink.failNext--;
        throw new Error('sink down');
      }
      sink.batches.push([...events]);
    },
    async close() {},
  };
  return sink;
}

/** A sink whose writes never settle: the flusher is stuck on its first batch. */
export function stalledSink(): PayloadSink & { writes: number } {
  const sink = {
    uri: 'stalled:',
    writes: 0,
    write: () => {
      sink.writes++;
      return new Promise<void>(() => {});
    },
    async close() {},
  };
  return sink;
}
