// Plain-function node components for the graph tests: the engine's semantics are tested on code
// whose answers are known exactly; the real-model path has its own test (onnx-graph.test.ts).
import { OspreyError } from '../../../errors/index.js';
import type { NamedTensors, Tensor } from '../../../models/index.js';
import type { DeploymentSpec } from '../../deployment/index.js';
import { validateDeploymentSpec } from '../../deployment/index.js';
import type { InferenceResponse } from '../../types.js';
import { type Deployment, type DeploymentDeps, loadDeployment } from '../deployment.js';
import type { NodeCallContext, NodeComponent, NodeFactory } from '../graph-types.js';

/** An FP64 tensor of shape [n] (or the shape given). */
export const fp64 = (values: number[], shape = [values.length]): Tensor => ({
  datatype: 'FP64',
  shape,
  data: values,
});

/** The elements of one output as plain numbers. */
export const values = (response: InferenceResponse | NamedTensors, name: string): number[] => {
  const outputs =
    'outputs' in response && !('datatype' in response.outputs)
      ? (response as InferenceResponse).outputs
      : (response as NamedTensors);
  const t = outputs[name];
  if (!t) throw new Error(`no output '${name}' among ${Object.keys(outputs).join(', ')}`);
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
};

/**
 * A model that maps every element of input `x` through `f` into output `y`; it counts its calls and
 * records the rows (first dimension) of each, so batching tests see the batches it was given.
 */
export function mapModel(
  f: (v: number) => number,
  options: { delayMs?: number; input?: string; output?: string } = {},
) {
  const input = options.input ?? 'x';
  const output = options.output ?? 'y';
  const component = {
    calls: 0,
    rows: [] as number[],
    async predict(inputs: NamedTensors): Promise<NamedTensors> {
      component.calls++;
      component.rows.push(inputs[input]?.shape[0] ?? 0);
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const t = inputs[input];
      if (!t) throw new OspreyError('INVALID_ARGUMENT', `missing input '${input}'`);
      return {
        [output]: {
          datatype: 'FP64',
          shape: [...t.shape],
          data: Array.from(t.data as ArrayLike<number>, (v) => f(Number(v))),
        },
      };
    },
  };
  return component;
}

/** A model that always fails with `message` (a plain Error, as a bug would). */
export const failingModel = (message: string): NodeComponent => ({
  predict: () => {
    throw new Error(message);
  },
});

/** A model that answers only when the request is aborted (deadline or client), with the abort reason. */
export function hangingModel() {
  const component = {
    aborted: 0,
    predict(_inputs: NamedTensors, context: NodeCallContext): Promise<NamedTensors> {
      return new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => {
          component.aborted++;
          reject(context.signal.reason);
        });
      });
    },
  };
  return component;
}

/** A factory that hands out the given components by node name. */
export function fakeFactory(components: Record<string, NodeComponent>): NodeFactory {
  return {
    async load(node) {
      const c = components[node.name];
      if (!c) throw new OspreyError('NOT_FOUND', `no fake component for node '${node.name}'`);
      return c;
    },
  };
}

/** Validates the spec object and loads it on fake components. */
export function deploy(
  spec: Record<string, unknown>,
  components: Record<string, NodeComponent>,
  deps: Omit<DeploymentDeps, 'factory'> = {},
): Promise<Deployment> {
  const valid: DeploymentSpec = validateDeploymentSpec(spec);
  return loadDeployment(valid, { factory: fakeFactory(components), ...deps });
}

/** A one-input request. */
export const request = (
  id: string,
  x: number[],
  extra: Partial<{ parameters: Record<string, string | number>; headers: Record<string, string> }> = {},
) => ({
  id,
  inputs: { x: fp64(x) },
  ...extra,
});
