// Graph overhead per extra node (issue 4 target: <= 0.2 ms per node), in-process:
//   node --import tsx bench/graph-overhead.ts [requests=20000] [reps=5]
// A KServe Sequence of N identity model nodes (each returns its input tensor: no model cost) for
// N = 1, 2, 4, 8, called sequentially through the deployment's endpoint, beside the same identity
// component called directly (the floor). The slope of the per-request time over N is the cost of
// one more node: routing, the deadline, the per-node signature and response handling.

import type { NamedTensors } from '../src/models/index.js';
import { deploy, request } from '../src/serving/graph/test-support/fake-nodes.js';
import { median } from './support/index.js';
import { machineNote } from './support/machine.js';

const requests = Number(process.argv[2] ?? 20_000);
const reps = Number(process.argv[3] ?? 5);
const identity = { predict: async (inputs: NamedTensors) => ({ x: inputs.x! }) };
const sizes = [1, 2, 4, 8];

const deployments = await Promise.all(
  sizes.map((n) =>
    deploy(
      {
        name: `chain-${n}`,
        graph: {
          name: 'root',
          type: 'router',
          router: { type: 'Sequence' },
          children: Array.from({ length: n }, (_, i) => ({
            name: `n${i}`,
            type: 'model',
            model: `fake:n${i}`,
            data: '$response',
          })),
        },
      },
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i}`, identity])),
    ),
  ),
);

async function usPerRequest(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < requests; i++) await call();
  return ((performance.now() - start) * 1000) / requests;
}

const x = [0.1, 0.2, 0.3, 0.4];
const samples = new Map<string, number[]>();
const record = (name: string, us: number) => samples.set(name, [...(samples.get(name) ?? []), us]);
for (let r = 0; r < reps + 1; r++) {
  const direct = await usPerRequest(() => identity.predict(request('r', x).inputs));
  const perSize = [];
  for (const [i, d] of deployments.entries())
    perSize.push([sizes[i]!, await usPerRequest(() => d.infer(request('r', x)))] as const);
  if (r === 0) continue; // warm-up
  record('direct', direct);
  for (const [n, us] of perSize) record(`chain-${n}`, us);
}
const med = (name: string) => median(samples.get(name)!);
// Least-squares slope of µs/request over N.
const meanN = sizes.reduce((a, b) => a + b, 0) / sizes.length;
const ys = sizes.map((n) => med(`chain-${n}`));
const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
const slope =
  sizes.reduce((s, n, i) => s + (n - meanN) * (ys[i]! - meanY), 0) /
  sizes.reduce((s, n) => s + (n - meanN) ** 2, 0);

console.log(await machineNote());
console.log(
  `${requests.toLocaleString('en-US')} sequential requests per measurement, ${reps} repetitions, median\n`,
);
console.log('| path | µs per request |\n| --- | ---: |');
console.log(`| identity component called directly | ${med('direct').toFixed(1)} |`);
for (const n of sizes)
  console.log(`| Sequence of ${n} identity node${n > 1 ? 's' : ''} | ${med(`chain-${n}`).toFixed(1)} |`);
console.log(
  `\nper extra node (least-squares slope over N): ${slope.toFixed(1)} µs = ${(slope / 1000).toFixed(3)} ms (target ≤ 0.2 ms: ${slope <= 200 ? 'met' : 'missed'})`,
);
for (const d of deployments) await d.unload();
