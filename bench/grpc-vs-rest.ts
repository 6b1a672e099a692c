// gRPC vs REST on the same `osprey serve` process (issue 4):
//   node --import tsx bench/grpc-vs-rest.ts [seconds=5] [reps=3] [concurrency=16]
// One deployment (the moons logistic regression, registered @champion) served by `osprey serve` in a
// child process; from this process, `concurrency` closed-loop callers send one-row inference requests
// for `seconds`, over OIP REST (fetch, keep-alive) and over OIP gRPC (@grpc/grpc-js ModelInfer), the
// two protocols taking turns. The same client loop drives both, so the difference is the protocol stack.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { grpcClient, registeredModels } from '../src/serving/host/test-support/registered-models.js';
import { fmtInt, fmtMs, markdownTable, median, quantile } from './support/index.js';
import { machineNote } from './support/machine.js';

const seconds = Number(process.argv[2] ?? 5);
const reps = Number(process.argv[3] ?? 3);
const concurrency = Number(process.argv[4] ?? 16);
const ROW = [0.5, 0.25];
const REST_BODY = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP32', data: ROW }] });
const GRPC_REQUEST = {
  model_name: 'moons',
  inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 2], contents: { fp32_contents: ROW } }],
};

const world = await registeredModels('moons');
const spec = join(world.home, 'deployment.yaml');
await writeFile(
  spec,
  'name: moons\ngraph:\n  name: classifier\n  type: model\n  model: models:/moons@champion\n',
);
const child: ChildProcess = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(import.meta.dirname, 'support/osprey-cli-child.ts'),
    '--home',
    world.home,
    'serve',
    '-f',
    spec,
    '--port',
    '0',
    '--grpc-port',
    '0',
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, OSPREY_LOG_LEVEL: 'warn', NODE_NO_WARNINGS: '1' },
  },
);
const { url, grpcPort } = await new Promise<{ url: string; grpcPort: number }>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`osprey serve exited early with code ${code}`)));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const match = /listening on (http:\/\/[\d.:]+) \(gRPC [\d.]+:(\d+)\)/.exec(line);
    if (match) resolve({ url: match[1]!, grpcPort: Number(match[2]) });
  });
});
while (
  (await fetch(`${url}/v2/health/ready`).then(
    (r) => r.status,
    () => 0,
  )) !== 200
)
  await new Promise((r) => setTimeout(r, 50));

const grpc = grpcClient(grpcPort);
const rest = async () => {
  const response = await fetch(`${url}/v2/models/moons/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: REST_BODY,
  });
  if (response.status !== 200) throw new Error(`REST answered ${response.status}`);
  await response.arrayBuffer();
};
const viaGrpc = () => grpc.call('ModelInfer', GRPC_REQUEST);

/** `concurrency` callers in a closed loop for `seconds`: requests/s and latency quantiles. */
async function drive(call: () => Promise<unknown>) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        await call();
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { rps: latencies.length / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

const results = {
  REST: [] as Awaited<ReturnType<typeof drive>>[],
  gRPC: [] as Awaited<ReturnType<typeof drive>>[],
};
try {
  await drive(rest); // warm-up
  await drive(viaGrpc);
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? (['REST', 'gRPC'] as const) : (['gRPC', 'REST'] as const);
    for (const protocol of order) results[protocol].push(await drive(protocol === 'REST' ? rest : viaGrpc));
  }
} finally {
  grpc.close();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  await world.dispose();
}
const row = (protocol: 'REST' | 'gRPC') => {
  const runs = results[protocol];
  const rps = median(runs.map((r) => r.rps));
  return [
    protocol,
    fmtInt(rps),
    fmtMs(median(runs.map((r) => r.p50))),
    fmtMs(median(runs.map((r) => r.p99))),
    `${((rps / median(results.REST.map((r) => r.rps))) * 100).toFixed(0)}%`,
  ];
};
console.log(await machineNote());
console.log(`${concurrency} closed-loop callers, ${seconds} s per run, ${reps} runs per protocol, median\n`);
console.log(markdownTable(['protocol', 'req/s', 'p50 ms', 'p99 ms', 'vs REST'], [row('REST'), row('gRPC')]));
