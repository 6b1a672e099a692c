// The traffic policy between variants: canary and A/B splits, and mirrors whose answers and errors
// never reach the client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import type { Deployment } from './deployment.js';
import type { ShadowOutcome } from './shadows.js';
import { deploy, failingModel, hangingModel, mapModel, request, values } from './test-support/fake-nodes.js';

const variant = (name: string) => ({ name, graph: { name, type: 'model', model: `fake:${name}` } });

/** Within 4.5 binomial standard deviations of n·p. */
function assertShare(count: number, n: number, p: number, what: string) {
  assert.ok(
    Math.abs(count - n * p) < 4.5 * Math.sqrt(n * p * (1 - p)),
    `${what}: ${count} of ${n}, expected ≈${n * p}`,
  );
}

/** Sends n requests, 100 at a time, and counts the answers by `routing.traffic`. */
async function split(deployment: Deployment, n: number, variants: number): Promise<number[]> {
  const counts = new Array<number>(variants).fill(0);
  for (let start = 0; start < n; start += 100) {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => deployment.infer(request(`q${start + i}`, [start + i]))),
    );
    for (const [i, r] of responses.entries()) {
      const at = r.routing!.traffic!;
      // Variant k answers x + 1000·k, so the answer proves which graph served it.
      assert.equal(values(r, 'y')[0], start + i + 1000 * at);
      counts[at]!++;
    }
  }
  return counts;
}

/** Resolves when `count` mirrors have reported. */
function mirrorsDone(count: number, outcomes: ShadowOutcome[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => {
      if (outcomes.length >= count) resolve();
      else if (Date.now() > deadline)
        reject(new Error(`only ${outcomes.length} of ${count} mirrors reported`));
      else setImmediate(poll);
    };
    poll();
  });
}

describe('traffic policy', () => {
  it('of 10,000 requests, a canary serves its percentage and a shadow mirrors its own; shadow errors never reach the client', async () => {
    const outcomes: ShadowOutcome[] = [];
    const deployment = await deploy(
      {
        name: 'canary',
        variants: [variant('main'), variant('canary'), variant('shadow')],
        traffic: {
          policy: 'canary',
          main: 'main',
          canary: 'canary',
          percent: 10,
          shadows: [{ variant: 'shadow', percent: 30 }],
        },
      },
      {
        main: mapModel((v) => v),
        canary: mapModel((v) => v + 1000),
        shadow: failingModel('shadow model crashed'),
      },
      { rng: createRng(10), onShadow: (o) => outcomes.push(o), maxShadowsInFlight: 1000 },
    );
    const n = 10_000;
    const [main, canary] = await split(deployment, n, 2);
    assertShare(canary!, n, 0.1, 'canary');
    assert.equal(main! + canary!, n, 'every request answered by main or canary, none failed');
    const { sent, dropped } = deployment.shadowStats();
    assertShare(sent, n, 0.3, 'mirrored');
    assert.equal(dropped, 0);
    await mirrorsDone(sent, outcomes);
    assert.equal(deployment.shadowStats().failed, sent);
    assert.ok(outcomes.every((o) => o.variant === 'shadow' && /shadow model crashed/.test(String(o.error))));
  });

  it('an A/B split follows the weights', async () => {
    const deployment = await deploy(
      {
        name: 'ab',
        variants: [variant('a'), variant('b'), variant('c')],
        traffic: { policy: 'ab', weights: { a: 1, b: 3, c: 0 } },
      },
      { a: mapModel((v) => v), b: mapModel((v) => v + 1000), c: mapModel((v) => v + 2000) },
      { rng: createRng(11) },
    );
    const counts = await split(deployment, 2000, 3);
    assertShare(counts[0]!, 2000, 0.25, 'a');
    assert.equal(counts[2], 0);
  });

  it('a single policy sends everything to its variant', async () => {
    const deployment = await deploy(
      {
        name: 'single',
        variants: [variant('only')],
        traffic: { policy: 'single', variant: 'only' },
      },
      { only: mapModel((v) => v) },
    );
    assert.deepEqual(await split(deployment, 200, 1), [200]);
  });

  it('a mirror gets a copy of the request and its answer goes only to onShadow', async () => {
    const outcomes: ShadowOutcome[] = [];
    const deployment = await deploy(
      {
        name: 'copy',
        variants: [variant('main'), variant('shadow')],
        traffic: { policy: 'single', variant: 'main', shadows: [{ variant: 'shadow', percent: 100 }] },
      },
      {
        main: mapModel((v) => v),
        // A shadow that scribbles on its input must not change what main sees.
        shadow: {
          predict(inputs) {
            (inputs.x!.data as number[])[0] = -1;
            return { y: inputs.x! };
          },
        },
      },
      { onShadow: (o) => outcomes.push(o) },
    );
    const response = await deployment.infer(request('q', [7]));
    assert.deepEqual(values(response, 'y'), [7]);
    await mirrorsDone(1, outcomes);
    assert.deepEqual(values(outcomes[0]!.outputs!, 'y'), [-1]);
    assert.equal(outcomes[0]!.requestId, 'q');
  });

  it('a hanging shadow neither delays the answer nor outlives its deadline; excess mirrors are dropped', async () => {
    const outcomes: ShadowOutcome[] = [];
    const deployment = await deploy(
      {
        name: 'slow-mirror',
        timeoutMs: 1000,
        variants: [variant('main'), variant('shadow')],
        traffic: { policy: 'single', variant: 'main', shadows: [{ variant: 'shadow', percent: 100 }] },
      },
      { main: mapModel((v) => v), shadow: hangingModel() },
      { onShadow: (o) => outcomes.push(o), maxShadowsInFlight: 2 },
    );
    const responses = await Promise.all([0, 1, 2].map((i) => deployment.infer(request(`q${i}`, [i]))));
    assert.deepEqual(
      responses.map((r) => values(r, 'y')[0]),
      [0, 1, 2],
    );
    assert.deepEqual(deployment.shadowStats(), { sent: 2, dropped: 1, failed: 0, inFlight: 2 });
    await mirrorsDone(2, outcomes);
    assert.ok(outcomes.every((o) => (o.error as { code?: string }).code === 'DEADLINE_EXCEEDED'));
    assert.equal(deployment.shadowStats().inFlight, 0);
  });
});
