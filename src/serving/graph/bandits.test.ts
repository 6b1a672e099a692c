// Bandit routers learning from feedback, the routing recorded in each response, and feedback walking
// the path the request took (Seldon v1 `RouteFromFeedbackJsonMeta`), also by request id alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejectsWith } from '../../../test/support/assertions.js';
import { createRng } from '../../random/index.js';
import type { Deployment } from './deployment.js';
import type { NodeComponent, NodeFeedback } from './graph-types.js';
import { deploy, fp64, mapModel, request } from './test-support/fake-nodes.js';

const leaf = (name: string) => ({ name, type: 'model', model: `fake:${name}` });

/** A model that answers its own index and records the feedback it receives. */
function armModel(index: number) {
  const feedback: NodeFeedback[] = [];
  const component: NodeComponent = {
    predict: (inputs) => ({ y: fp64(Array.from(inputs.x!.data as number[], () => index)) }),
    sendFeedback: (f) => void feedback.push(f),
  };
  return { component, feedback };
}

/**
 * Plays `rounds` requests: each is rewarded 1 with the success rate of the arm that served it (read
 * from `routing[node]`), and the feedback carries the response's routing. Returns the arms chosen.
 */
async function play(
  deployment: Deployment,
  node: string,
  rates: number[],
  rounds: number,
): Promise<number[]> {
  const world = createRng(99);
  const chosen: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const response = await deployment.infer(request(`r${i}`, [1]));
    const arm = response.routing![node]!;
    chosen.push(arm);
    const reward = world.next() < rates[arm]! ? 1 : 0;
    await deployment.feedback({ requestId: response.id, routing: response.routing!, reward });
  }
  return chosen;
}

const share = (chosen: number[], arm: number) => chosen.filter((c) => c === arm).length / chosen.length;

describe('bandits converge to the better arm under feedback', () => {
  it('epsilon-greedy router node (ε = 0.1): the better arm serves ≈ 1 − ε of late requests', async () => {
    const deployment = await deploy(
      {
        name: 'eg',
        graph: {
          name: 'bandit',
          type: 'router',
          router: { type: 'epsilon-greedy', epsilon: 0.1, bestBranch: 0 },
          children: [leaf('a'), leaf('b'), leaf('c')],
        },
      },
      { a: armModel(0).component, b: armModel(1).component, c: armModel(2).component },
      { rng: createRng(3) },
    );
    const chosen = await play(deployment, 'bandit', [0.2, 0.75, 0.4], 500);
    const late = chosen.slice(-200);
    assert.ok(share(late, 1) > 0.8, `arm b served ${share(late, 1)} of the last 200`);
    const stats = deployment.banditStats('bandit');
    assert.deepEqual(
      stats.map((s) => s.arm),
      ['a', 'b', 'c'],
    );
    assert.equal(
      stats.reduce((n, s) => n + s.trials, 0),
      500,
    );
  });

  it('Thompson sampling over variants (traffic policy) puts almost all late traffic on the better one', async () => {
    const deployment = await deploy(
      {
        name: 'ts',
        variants: [
          { name: 'old', graph: leaf('old') },
          { name: 'new', graph: leaf('new') },
        ],
        traffic: { policy: 'thompson', arms: ['old', 'new'] },
      },
      { old: armModel(0).component, new: armModel(1).component },
      { rng: createRng(4) },
    );
    const chosen = await play(deployment, 'traffic', [0.35, 0.65], 400);
    assert.ok(
      share(chosen.slice(-150), 1) > 0.85,
      `new served ${share(chosen.slice(-150), 1)} of the last 150`,
    );
    const [old, fresh] = deployment.banditStats('traffic');
    assert.ok(fresh!.trials > old!.trials);
    assert.ok(Math.abs(fresh!.successes / fresh!.trials - 0.65) < 0.1);
  });

  it('epsilon-greedy over variants, and Thompson as a router node, converge too', async () => {
    const eg = await deploy(
      {
        name: 'eg-traffic',
        variants: [
          { name: 'x', graph: leaf('x') },
          { name: 'y', graph: leaf('y') },
        ],
        traffic: { policy: 'epsilon-greedy', arms: ['x', 'y'], epsilon: 0.1 },
      },
      { x: armModel(0).component, y: armModel(1).component },
      { rng: createRng(5) },
    );
    assert.ok(share((await play(eg, 'traffic', [0.8, 0.2], 300)).slice(-100), 0) > 0.8);
    const ts = await deploy(
      {
        name: 'ts-node',
        graph: {
          name: 'pick',
          type: 'router',
          router: { type: 'thompson' },
          children: [leaf('p'), leaf('q')],
        },
      },
      { p: armModel(0).component, q: armModel(1).component },
      { rng: createRng(6) },
    );
    assert.ok(share((await play(ts, 'pick', [0.1, 0.6], 300)).slice(-100), 1) > 0.85);
  });
});

describe('routing and feedback', () => {
  const deployRouted = () => {
    const arms = [armModel(0), armModel(1)];
    const routerFeedback: NodeFeedback[] = [];
    let next = 0;
    const router: NodeComponent = {
      route: () => next,
      sendFeedback: (f) => void routerFeedback.push(f),
    };
    const deployment = deploy(
      {
        name: 'routed',
        graph: { name: 'r', type: 'router', module: 'fake', children: [leaf('a'), leaf('b')] },
      },
      { r: router, a: arms[0]!.component, b: arms[1]!.component },
    );
    const routeTo = (i: number) => {
      next = i;
    };
    return { deployment, arms, routerFeedback, routeTo };
  };

  it('feedback with the response’s routing reaches the router and only the branch that served', async () => {
    const { deployment, arms, routerFeedback, routeTo } = deployRouted();
    const d = await deployment;
    routeTo(1);
    const response = await d.infer(request('q1', [1]));
    assert.deepEqual(response.routing, { r: 1 });
    await d.feedback({ requestId: 'q1', routing: response.routing!, reward: 0.5 });
    assert.deepEqual(routerFeedback, [{ requestId: 'q1', reward: 0.5, truth: undefined, route: 1 }]);
    assert.deepEqual([arms[0]!.feedback.length, arms[1]!.feedback.length], [0, 1]);
    assert.equal(arms[1]!.feedback[0]!.reward, 0.5);
  });

  it('feedback naming only the request id finds the routing the deployment remembered', async () => {
    const { deployment, arms, routeTo } = deployRouted();
    const d = await deployment;
    routeTo(0);
    await d.infer(request('early', [1]));
    routeTo(1);
    await d.infer(request('late', [1]));
    const truth = { y: fp64([0]) };
    await d.feedback({ requestId: 'early', truth });
    assert.deepEqual([arms[0]!.feedback.length, arms[1]!.feedback.length], [1, 0]);
    assert.deepEqual(Array.from(arms[0]!.feedback[0]!.truth!.y!.data as Float64Array), [0]);
  });

  it('feedback for a request it never saw goes to every branch (Seldon’s default -1) and credits no bandit', async () => {
    const { deployment, arms, routerFeedback } = deployRouted();
    const d = await deployment;
    await d.feedback({ requestId: 'unknown', reward: 1 });
    assert.deepEqual([arms[0]!.feedback.length, arms[1]!.feedback.length, routerFeedback.length], [1, 1, 1]);
    assert.equal(routerFeedback[0]!.route, undefined);
  });

  it('a reward over a batch of rows counts each row as a trial', async () => {
    const deployment = await deploy(
      {
        name: 'rows',
        graph: {
          name: 'bandit',
          type: 'router',
          router: { type: 'epsilon-greedy', epsilon: 0, bestBranch: 1 },
          children: [leaf('a'), leaf('b')],
        },
      },
      { a: mapModel((v) => v), b: mapModel((v) => v) },
    );
    const response = await deployment.infer(request('batch', [1, 2, 3, 4]));
    await deployment.feedback({ requestId: 'batch', reward: 0.75, truth: { y: fp64([1, 2, 3, 4]) } });
    assert.deepEqual(response.routing, { bandit: 1 });
    assert.deepEqual(deployment.banditStats('bandit'), [
      { arm: 'a', successes: 0, trials: 0 },
      { arm: 'b', successes: 3, trials: 4 },
    ]);
  });

  it('rejects feedback without a request id or with a reward outside [0, 1]', async () => {
    const d = await deployRouted().deployment;
    await rejectsWith(d.feedback({ reward: 1 } as never), 'INVALID_ARGUMENT', /requestId/);
    await rejectsWith(
      d.feedback({ requestId: 'q', reward: 2 }),
      'INVALID_ARGUMENT',
      /reward must be a number in \[0, 1\]/,
    );
    await rejectsWith(d.feedback({ requestId: 'q', reward: Number.NaN }), 'INVALID_ARGUMENT');
    await rejectsWith(d.feedback({ requestId: 'q', truth: 'yes' as never }), 'INVALID_ARGUMENT');
    assert.throws(() => d.banditStats('r'), /not a bandit/);
    assert.throws(() => d.banditStats('nope'), /no node 'nope'/);
  });
});
