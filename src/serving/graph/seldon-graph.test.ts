// Seldon Core v1 node semantics (SC1 `predictor_process.go`): transform input → route → children →
// aggregate → transform output, on plain-function components whose answers are known exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import type { NamedTensors } from '../../models/index.js';
import { createRng } from '../../random/index.js';
import { validateDeploymentSpec } from '../deployment/index.js';
import { createDeployment } from './deployment.js';
import type { NodeComponent } from './graph-types.js';
import {
  deploy,
  failingModel,
  fakeFactory,
  fp64,
  hangingModel,
  mapModel,
  request,
  values,
} from './test-support/fake-nodes.js';

const model = (name: string, children?: unknown[]) => ({
  name,
  type: 'model',
  model: `fake:${name}`,
  ...(children ? { children } : {}),
});
const router = (name: string, children: unknown[]) => ({ name, type: 'router', module: 'fake', children });

/** A router component that answers `route` and records what it was asked to route. */
function fixedRouter(route: number) {
  const seen: number[][] = [];
  const component: NodeComponent = {
    route(inputs) {
      seen.push(values(inputs, 'x'));
      return route;
    },
  };
  return { component, seen };
}

describe('Seldon v1 graph semantics', () => {
  it('runs input transformer → router → children → combiner → output transformer in that order', async () => {
    const trace: string[] = [];
    const traced =
      (name: string, f: (v: number) => number, from = 'x', to = 'x') =>
      (inputs: NamedTensors): NamedTensors => {
        trace.push(name);
        return { [to]: fp64(values(inputs, from).map(f)) };
      };
    const deployment = await deploy(
      {
        name: 'seldon',
        graph: {
          name: 'pre',
          type: 'transformer',
          module: 'fake',
          children: [
            {
              name: 'post',
              type: 'output_transformer',
              module: 'fake',
              children: [
                {
                  name: 'avg',
                  type: 'combiner',
                  module: 'fake',
                  children: [router('r', [model('a'), model('b')])],
                },
              ],
            },
          ],
        },
      },
      {
        pre: { transformInput: traced('pre', (v) => v + 1) },
        post: { transformOutput: traced('post', (v) => v * 10, 'y', 'y') },
        avg: {
          aggregate(outputs) {
            trace.push(`avg(${outputs.length})`);
            return outputs[0]!;
          },
        },
        r: {
          route() {
            trace.push('route');
            return -1;
          },
        },
        a: { predict: traced('a', (v) => v * 2, 'x', 'y') },
        b: { predict: traced('b', (v) => v * 3, 'x', 'y') },
      },
    );
    const response = await deployment.infer(request('q1', [1, 2]));
    // pre: [2, 3]; both children run (route -1); the router's own parent combiner sees one output
    // (the router passes its first child's answer up: no combiner on it); post multiplies by 10.
    assert.deepEqual(values(response, 'y'), [40, 60]);
    assert.deepEqual(trace.slice(0, 2), ['pre', 'route']);
    assert.deepEqual(new Set(trace.slice(2, 4)), new Set(['a', 'b']));
    assert.deepEqual(trace.slice(4), ['avg(1)', 'post']);
    assert.deepEqual(response.routing, { r: -1 });
  });

  it('route -1 sends to every child and the combiner averages them (Seldon ensemble example)', async () => {
    const a = mapModel((v) => v * 2);
    const b = mapModel((v) => v * 4);
    const deployment = await deploy(
      {
        name: 'ensemble',
        graph: { name: 'mean', type: 'combiner', combiner: 'mean', children: [model('a'), model('b')] },
      },
      { a, b },
    );
    const response = await deployment.infer(request('q', [1, 3]));
    assert.deepEqual(values(response, 'y'), [3, 9]); // (2x + 4x) / 2
    assert.equal(response.outputs.y!.datatype, 'FP64');
    assert.deepEqual([a.calls, b.calls], [1, 1]);
  });

  it('a majority combiner takes the most common value per element, ties to the earliest child', async () => {
    const deployment = await deploy(
      {
        name: 'vote',
        graph: {
          name: 'vote',
          type: 'combiner',
          combiner: 'majority',
          children: [model('a'), model('b'), model('c')],
        },
      },
      { a: mapModel(() => 1), b: mapModel((v) => v), c: mapModel((v) => (v > 1 ? v : 7)) },
    );
    // element 0 (x=1): votes 1, 1, 7 → 1; element 1 (x=2): 1, 2, 2 → 2; element 2 (x=5): 1, 5, 5 → 5
    assert.deepEqual(values(await deployment.infer(request('q', [1, 2, 5])), 'y'), [1, 2, 5]);
  });

  it('route N sends only to child N and records it in routing', async () => {
    const a = mapModel((v) => v + 100);
    const b = mapModel((v) => v + 200);
    const r = fixedRouter(1);
    const deployment = await deploy(
      { name: 'pick', graph: router('r', [model('a'), model('b')]) },
      {
        r: r.component,
        a,
        b,
      },
    );
    const response = await deployment.infer(request('q', [1]));
    assert.deepEqual(values(response, 'y'), [201]);
    assert.deepEqual(response.routing, { r: 1 });
    assert.deepEqual([a.calls, b.calls], [0, 1]);
    assert.deepEqual(r.seen, [[1]]);
  });

  it('route -2 stops and returns the router’s own message, still through the output transformer', async () => {
    const a = mapModel((v) => v + 100);
    const deployment = await deploy(
      {
        name: 'stop',
        graph: {
          name: 'post',
          type: 'output_transformer',
          module: 'fake',
          children: [router('r', [model('a')])],
        },
      },
      {
        post: { transformOutput: (outputs) => ({ z: fp64(values(outputs, 'x').map((v) => -v)) }) },
        r: fixedRouter(-2).component,
        a,
      },
    );
    const response = await deployment.infer(request('q', [4, 5]));
    assert.deepEqual(values(response, 'z'), [-4, -5]);
    assert.deepEqual(response.routing, { r: -2 });
    assert.equal(a.calls, 0);
  });

  it('a model with a child is a chain: its output feeds the child', async () => {
    const deployment = await deploy(
      { name: 'chain', graph: { ...model('first', [model('second')]) } },
      { first: mapModel((v) => v + 1, { output: 'x' }), second: mapModel((v) => v * 10) },
    );
    assert.deepEqual(values(await deployment.infer(request('q', [1, 2])), 'y'), [20, 30]);
  });

  it('random-ab sends ratioA of requests to child 0 (binomial bound, fixed seed)', async () => {
    const deployment = await deploy(
      {
        name: 'ab',
        graph: {
          name: 'r',
          type: 'router',
          router: { type: 'random-ab', ratioA: 0.3 },
          children: [model('a'), model('b')],
        },
      },
      { a: mapModel((v) => v), b: mapModel((v) => v) },
      { rng: createRng(5) },
    );
    const n = 2000;
    let toA = 0;
    for (let i = 0; i < n; i++) {
      if ((await deployment.infer(request(`q${i}`, [1]))).routing?.r === 0) toA++;
    }
    assert.ok(Math.abs(toA - 0.3 * n) < 4.5 * Math.sqrt(n * 0.3 * 0.7), `${toA} of ${n} went to A`);
  });

  it('a router answering outside -2..children-1 fails that request with a clear error', async () => {
    const deployment = await deploy(
      { name: 'bad-route', graph: router('r', [model('a')]) },
      {
        r: fixedRouter(3).component,
        a: mapModel((v) => v),
      },
    );
    await rejectsWith(
      deployment.infer(request('q', [1])),
      'INTERNAL',
      /router 'r' chose 3.*-2 \(stop\), -1 \(all\) and 0\.\.0/,
    );
  });
});

describe('failures, deadlines and readiness', () => {
  it('a failing node fails only its request, names the node, and the deployment keeps serving', async () => {
    const deployment = await deploy(
      {
        name: 'flaky',
        graph: { name: 'r', type: 'router', module: 'fake', children: [model('good'), model('bad')] },
      },
      {
        r: { route: (inputs) => (values(inputs, 'x')[0]! < 0 ? 1 : 0) },
        good: mapModel((v) => v * 2),
        bad: failingModel('division by zero in feature 3'),
      },
    );
    const results = await Promise.allSettled([
      deployment.infer(request('ok1', [1])),
      deployment.infer(request('boom', [-1])),
      deployment.infer(request('ok2', [2])),
    ]);
    assert.equal(results[1]!.status, 'rejected');
    const error = (results[1] as PromiseRejectedResult).reason;
    assert.equal(error.code, 'INTERNAL');
    assert.match(error.message, /node 'bad' \(predict\) failed: division by zero in feature 3/);
    assert.deepEqual(error.details, { node: 'bad' });
    assert.deepEqual(
      results.filter((r) => r.status === 'fulfilled').map((r) => values(r.value, 'y')),
      [[2], [4]],
    );
    assert.deepEqual(values(await deployment.infer(request('after', [5])), 'y'), [10]);
  });

  it('a node’s OspreyError keeps its code (bad input stays a 4xx)', async () => {
    const deployment = await deploy({ name: 'strict', graph: model('m') }, { m: mapModel((v) => v) });
    await rejectsWith(
      deployment.infer({ id: 'q', inputs: { wrong: fp64([1]) } }),
      'INVALID_ARGUMENT',
      /node 'm' \(predict\) failed: missing input 'x'/,
    );
    await rejectsWith(deployment.infer({ id: 'q', inputs: { x: fp64([1, 2], [3]) } }), 'INVALID_ARGUMENT');
  });

  it('a request past the deadline fails with DEADLINE_EXCEEDED, and the node sees the abort', async () => {
    const slow = hangingModel();
    const deployment = await deploy(
      {
        name: 'timed',
        timeoutMs: 250,
        graph: { name: 'r', type: 'router', module: 'fake', children: [model('fast'), model('slow')] },
      },
      { r: { route: (inputs) => (values(inputs, 'x')[0]! > 0 ? 1 : 0) }, fast: mapModel((v) => v), slow },
    );
    await rejectsWith(
      deployment.infer(request('late', [1])),
      'DEADLINE_EXCEEDED',
      /deployment 'timed': request 'late' exceeded its 250 ms deadline/,
    );
    assert.equal(slow.aborted, 1);
    assert.deepEqual(values(await deployment.infer(request('quick', [-3])), 'y'), [-3]);
  });

  it('a client that goes away aborts its request', async () => {
    const deployment = await deploy({ name: 'cancel', graph: model('m') }, { m: hangingModel() });
    const controller = new AbortController();
    const pending = deployment.infer(request('q', [1]), { signal: controller.signal });
    controller.abort();
    await rejectsWith(pending, 'UNAVAILABLE', /cancelled by the client/);
  });

  it('is not ready and refuses requests until loaded; a component that is not ready makes it not ready', async () => {
    let modelReady = true;
    const spec = validateDeploymentSpec({ name: 'life', graph: model('m') });
    const deployment = createDeployment(spec, {
      factory: fakeFactory({ m: { ...mapModel((v) => v), ready: () => modelReady } }),
    });
    assert.equal(deployment.ready(), false);
    await rejectsWith(deployment.infer(request('q', [1])), 'UNAVAILABLE', /'life' is not ready/);
    await deployment.load();
    assert.equal(deployment.ready(), true);
    modelReady = false;
    assert.equal(deployment.ready(), false);
    modelReady = true;
    await deployment.unload();
    assert.equal(deployment.ready(), false);
  });

  it('a node that fails to load names the node, and the nodes already loaded are unloaded', async () => {
    let unloaded = 0;
    const spec = validateDeploymentSpec({ name: 'broken', graph: model('a', [model('missing')]) });
    const deployment = createDeployment(spec, {
      factory: fakeFactory({ a: { ...mapModel((v) => v), unload: () => void unloaded++ } }),
    });
    await rejectsWith(deployment.load(), 'NOT_FOUND', /node 'missing' failed to load/);
    assert.equal(unloaded, 1);
    assert.equal(deployment.ready(), false);
  });

  it('only the requested outputs are returned; an unknown one is INVALID_ARGUMENT', async () => {
    const deployment = await deploy(
      {
        name: 'outs',
        graph: {
          name: 'ens',
          type: 'router',
          router: { type: 'Ensemble' },
          children: [model('a'), model('b')],
        },
      },
      { a: mapModel((v) => v), b: mapModel((v) => -v) },
    );
    const response = await deployment.infer({ ...request('q', [1]), outputs: ['b.y'] });
    assert.deepEqual(Object.keys(response.outputs), ['b.y']);
    await rejectsWith(
      deployment.infer({ ...request('q', [1]), outputs: ['c.y'] }),
      'INVALID_ARGUMENT',
      /unknown output 'c.y'/,
    );
  });
});
