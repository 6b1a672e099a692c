// KServe InferenceGraph router types (KS `cmd/router/main.go`): Sequence, Switch, Ensemble, Splitter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { createRng } from '../../random/index.js';
import { deploy, failingModel, mapModel, request, values } from './test-support/fake-nodes.js';

const step = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'model',
  model: `fake:${name}`,
  ...extra,
});
const routerNode = (type: string, children: unknown[]) => ({
  name: 'root',
  type: 'router',
  router: { type },
  children,
});

describe('KServe Sequence', () => {
  it('feeds $response steps the previous answer and $request steps the original request', async () => {
    // Each model reads x and writes x, so a step's input shows which message it was given.
    const first = mapModel((v) => v + 1, { output: 'x' });
    const second = mapModel((v) => v * 10, { output: 'x' });
    const third = mapModel((v) => -v, { output: 'x' });
    const deployment = await deploy(
      {
        name: 'seq',
        graph: routerNode('Sequence', [
          step('first'),
          step('second', { data: '$response' }),
          step('third', { data: '$request' }),
        ]),
      },
      { first, second, third },
    );
    const response = await deployment.infer(request('q', [1, 2]));
    // third ran on the original request ($request), so the answer is -x, not -(10·(x + 1)).
    assert.deepEqual(values(response, 'x'), [-1, -2]);
    assert.deepEqual(response.routing, { root: 2 });
    assert.deepEqual([first.calls, second.calls, third.calls], [1, 1, 1]);

    const chained = await deploy(
      {
        name: 'seq2',
        graph: routerNode('Sequence', [step('first'), step('second', { data: '$response' })]),
      },
      { first, second },
    );
    assert.deepEqual(values(await chained.infer(request('q', [1, 2])), 'x'), [20, 30]);
  });

  it('a step whose condition fails on the previous answer ends the sequence with that answer', async () => {
    const second = mapModel((v) => v * 10, { output: 'x' });
    const deployment = await deploy(
      {
        name: 'seq-cond',
        graph: routerNode('Sequence', [
          step('first'),
          step('second', { data: '$response', condition: { input: 'x', op: 'gt', value: 5 } }),
        ]),
      },
      { first: mapModel((v) => v + 1, { output: 'x' }), second },
    );
    const low = await deployment.infer(request('low', [1]));
    assert.deepEqual([values(low, 'x'), low.routing], [[2], { root: 0 }]);
    const high = await deployment.infer(request('high', [9]));
    assert.deepEqual([values(high, 'x'), high.routing], [[100], { root: 1 }]);
    assert.equal(second.calls, 1);
  });

  it('a failing hard step fails the request; a soft one is skipped', async () => {
    const spec = (dependency: string) => ({
      name: `seq-${dependency}`,
      graph: routerNode('Sequence', [
        step('first'),
        step('broken', { dependency }),
        step('last', { data: '$response' }),
      ]),
    });
    const components = () => ({
      first: mapModel((v) => v + 1, { output: 'x' }),
      broken: failingModel('feature store timed out'),
      last: mapModel((v) => v * 2, { output: 'x' }),
    });
    const hard = await deploy(spec('hard'), components());
    await rejectsWith(
      hard.infer(request('q', [1])),
      'INTERNAL',
      /node 'broken' \(predict\) failed: feature store/,
    );
    const soft = await deploy(spec('soft'), components());
    assert.deepEqual(values(await soft.infer(request('q', [1])), 'x'), [4]); // (1 + 1) · 2
  });
});

describe('KServe Switch', () => {
  const deploySwitch = () =>
    deploy(
      {
        name: 'switch',
        graph: routerNode('Switch', [
          step('premium', { condition: { header: 'X-Tier', op: 'eq', value: 'gold' } }),
          step('big', { condition: { input: 'x', op: 'ge', value: 100 } }),
          step('flagged', { condition: { parameter: 'flag', op: 'in', value: ['a', 'b'] } }),
        ]),
      },
      {
        premium: mapModel(() => 1),
        big: mapModel(() => 2),
        flagged: mapModel(() => 3),
      },
    );

  it('runs the first step whose condition matches the input, headers or parameters', async () => {
    const deployment = await deploySwitch();
    const cases: [ReturnType<typeof request>, number][] = [
      [request('h', [500], { headers: { 'x-tier': 'gold' } }), 0],
      [request('i', [100, 250]), 1],
      [request('p', [5], { parameters: { flag: 'b' } }), 2],
    ];
    for (const [req, at] of cases) {
      const response = await deployment.infer(req);
      assert.deepEqual([values(response, 'y')[0], response.routing], [at + 1, { root: at }], req.id);
    }
  });

  it('every element must pass a tensor condition, and no match is NOT_FOUND', async () => {
    const deployment = await deploySwitch();
    await rejectsWith(deployment.infer(request('mixed', [500, 1])), 'NOT_FOUND', /no step of Switch 'root'/);
    await rejectsWith(deployment.infer(request('other', [5], { parameters: { flag: 'c' } })), 'NOT_FOUND');
  });
});

describe('KServe Ensemble', () => {
  it('runs every step on the request and answers each step’s outputs as <step>.<output>', async () => {
    const deployment = await deploy(
      {
        name: 'ens',
        graph: routerNode('Ensemble', [
          step('double'),
          step('negate'),
          step('optional', { dependency: 'soft' }),
        ]),
      },
      {
        double: mapModel((v) => 2 * v),
        negate: mapModel((v) => -v),
        optional: failingModel('not today'),
      },
    );
    const response = await deployment.infer(request('q', [3, 4]));
    assert.deepEqual(Object.keys(response.outputs).sort(), ['double.y', 'negate.y']);
    assert.deepEqual(values(response, 'double.y'), [6, 8]);
    assert.deepEqual(values(response, 'negate.y'), [-3, -4]);
    assert.deepEqual(response.routing, { root: -1 });
  });

  it('a failing hard step fails the request', async () => {
    const deployment = await deploy(
      { name: 'ens-hard', graph: routerNode('Ensemble', [step('ok'), step('broken')]) },
      { ok: mapModel((v) => v), broken: failingModel('out of memory') },
    );
    await rejectsWith(deployment.infer(request('q', [1])), 'INTERNAL', /node 'broken'.*out of memory/);
  });
});

describe('KServe Splitter', () => {
  it('splits by weight (binomial bound per branch, fixed seed) and routes each request to one step', async () => {
    const weights = [20, 30, 50];
    const models = weights.map((_, i) => mapModel(() => i));
    const deployment = await deploy(
      {
        name: 'split',
        graph: routerNode(
          'Splitter',
          weights.map((weight, i) => step(`s${i}`, { weight })),
        ),
      },
      Object.fromEntries(models.map((m, i) => [`s${i}`, m])),
      { rng: createRng(2024) },
    );
    const n = 3000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const response = await deployment.infer(request(`q${i}`, [1]));
      const at = response.routing!.root!;
      assert.equal(values(response, 'y')[0], at, 'the answer comes from the step routing names');
      counts[at]!++;
    }
    weights.forEach((w, i) => {
      const p = w / 100;
      assert.ok(
        Math.abs(counts[i]! - n * p) < 4.5 * Math.sqrt(n * p * (1 - p)),
        `step ${i}: ${counts[i]} of ${n}`,
      );
    });
    assert.deepEqual(
      models.map((m) => m.calls),
      counts,
    );
  });

  it('a step of weight 0 never serves', async () => {
    const deployment = await deploy(
      {
        name: 'split0',
        graph: routerNode('Splitter', [step('on', { weight: 100 }), step('off', { weight: 0 })]),
      },
      { on: mapModel(() => 1), off: mapModel(() => 2) },
      { rng: createRng(1) },
    );
    for (let i = 0; i < 200; i++)
      assert.equal((await deployment.infer(request(`q${i}`, [1]))).routing!.root, 0);
  });
});
