import { invalidArgument, OspreyError } from '../../errors/index.js';
import { checkInputs, checkOutputs, type NamedTensors } from '../../models/index.js';
import { type DeploymentSpec, type NodeSpec, TRAFFIC_NODE } from '../deployment/index.js';
import { type Batcher, createBatcher } from './batcher.js';
import { type Chooser, type ChooserDeps, nodeChooser, trafficChooser } from './choosers.js';
import { builtinCombiner } from './combiners.js';
import type { NodeCallContext, NodeComponent, NodeFactory } from './graph-types.js';

type Transform = (inputs: NamedTensors, context: NodeCallContext) => Promise<NamedTensors>;

/** One node, loaded: what the engine calls for each Seldon v1 step. */
export interface GraphNode {
  readonly spec: NodeSpec;
  readonly name: string;
  readonly children: GraphNode[];
  readonly component?: NodeComponent;
  /** Seldon transform-input (models, remote models, transformers). */
  readonly transformInput?: Transform;
  readonly transformOutput?: Transform;
  /** Built-in routing (Seldon routers, Splitter, traffic policy). */
  readonly chooser?: Chooser;
  /** A module router's route(). */
  readonly route?: (inputs: NamedTensors, context: NodeCallContext) => Promise<number>;
  readonly aggregate?: (outputs: NamedTensors[], context: NodeCallContext) => Promise<NamedTensors>;
  readonly batcher?: Batcher;
}

/** A loaded deployment: the root requests enter, the mirrors, and every node. */
export interface LoadedGraph {
  root: GraphNode;
  shadows: { variant: string; percent: number; node: GraphNode }[];
  nodes: GraphNode[];
}

const needsCode = (spec: NodeSpec) =>
  spec.model !== undefined || spec.module !== undefined || spec.url !== undefined;

function required<T>(fn: T | undefined, node: NodeSpec, method: string): T {
  if (!fn) throw invalidArgument(`node '${node.name}' (${node.type}): its code has no ${method}() method`);
  return fn;
}

// Binds the component's methods the node type calls, checking what they return.
function wire(spec: NodeSpec, component: NodeComponent | undefined, deps: ChooserDeps) {
  const c = component;
  const bind = (fn: NodeComponent['predict']): Transform | undefined =>
    fn && (async (inputs, context) => checkOutputs(await fn.call(c, inputs, context), undefined));
  let transformInput: Transform | undefined;
  let transformOutput: Transform | undefined;
  let batcher: Batcher | undefined;
  if (c && (spec.type === 'model' || spec.type === 'remote')) {
    transformInput = required(bind(c.predict ?? c.transformInput), spec, 'predict');
  }
  if (c && spec.type === 'transformer')
    transformInput = required(bind(c.transformInput ?? c.predict), spec, 'transformInput');
  if (c && spec.type === 'output_transformer') {
    transformOutput = required(bind(c.transformOutput ?? c.predict), spec, 'transformOutput');
  }
  if (transformInput && spec.batching) {
    const run = transformInput;
    const batchContext = { requestId: `batch:${spec.name}`, signal: new AbortController().signal };
    batcher = createBatcher((inputs) => run(inputs, batchContext), spec.batching);
    const queue = batcher;
    // Each request is checked alone first, so one bad request cannot fail a whole batch.
    transformInput = (inputs, context) => queue.predict(checkInputs(inputs, c?.signature), context.signal);
  }
  let route: GraphNode['route'];
  if (spec.type === 'router' && c) {
    const fn = required(c.route, spec, 'route');
    route = async (inputs, context) => fn.call(c, inputs, context);
  }
  let aggregate: GraphNode['aggregate'];
  if (spec.type === 'combiner' && c) {
    const fn = required(c.aggregate, spec, 'aggregate');
    aggregate = async (outputs, context) => checkOutputs(await fn.call(c, outputs, context), undefined);
  } else if (spec.combiner) {
    const combine = builtinCombiner(spec.combiner, spec.name);
    aggregate = async (outputs) => combine(outputs);
  }
  const chooser = nodeChooser(spec, deps);
  return { transformInput, transformOutput, route, aggregate, chooser, batcher };
}

/**
 * Loads every node of a deployment through the factory (in parallel) and wires the built-in
 * routers and combiners. If one node fails to load, those already loaded are unloaded and the error
 * names the node.
 */
export async function loadGraph(
  spec: DeploymentSpec,
  factory: NodeFactory,
  deps: ChooserDeps,
): Promise<LoadedGraph> {
  const specs: NodeSpec[] = [];
  const collect = (n: NodeSpec) => {
    specs.push(n);
    n.children?.forEach(collect);
  };
  if (spec.graph) collect(spec.graph);
  for (const v of spec.variants ?? []) collect(v.graph);

  const settled = await Promise.allSettled(
    specs.map((n) =>
      needsCode(n) ? factory.load(n, { deployment: spec.name }) : Promise.resolve(undefined),
    ),
  );
  const components = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  const failed = settled.findIndex((s) => s.status === 'rejected');
  const unloadAll = () => Promise.allSettled(components.map((c) => c?.unload?.()));
  if (failed >= 0) {
    await unloadAll();
    const error = (settled[failed] as PromiseRejectedResult).reason;
    const code = error instanceof OspreyError ? error.code : 'INTERNAL';
    throw new OspreyError(
      code,
      `node '${specs[failed]!.name}' failed to load: ${(error as Error)?.message ?? error}`,
    );
  }

  const nodes: GraphNode[] = [];
  try {
    const build = (n: NodeSpec): GraphNode => {
      const component = components[specs.indexOf(n)];
      const children = (n.children ?? []).map(build);
      const node: GraphNode = {
        spec: n,
        name: n.name,
        children,
        ...(component ? { component } : {}),
        ...wire(n, component, deps),
      };
      nodes.push(node);
      return node;
    };
    let root: GraphNode;
    const shadows: LoadedGraph['shadows'] = [];
    if (spec.graph) root = build(spec.graph);
    else {
      const variants = spec.variants!.map((v) => build(v.graph));
      const trafficSpec: NodeSpec = { name: TRAFFIC_NODE, type: 'router' };
      root = {
        spec: trafficSpec,
        name: TRAFFIC_NODE,
        children: variants,
        chooser: trafficChooser(spec, TRAFFIC_NODE, deps),
      };
      nodes.push(root);
      for (const s of spec.traffic?.shadows ?? []) {
        const at = spec.variants!.findIndex((v) => v.name === s.variant);
        shadows.push({ variant: s.variant, percent: s.percent, node: variants[at]! });
      }
    }
    await Promise.all(nodes.map((n) => n.chooser?.refresh?.()));
    return { root, shadows, nodes };
  } catch (error) {
    await unloadAll();
    throw error;
  }
}
