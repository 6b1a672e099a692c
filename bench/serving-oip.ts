// OIP REST inference on a small ONNX tabular model (logistic regression on 2 features, one row per
// request), side by side in the same run:
//   - `osprey serve -f deployment.yaml` (child process): the whole serving stack (host, graph, metrics,
//     OIP decoding and encoding), the model pulled from the registry by `models:/moons@champion`;
//   - a bare Fastify server (child process) with one route calling the same predictor (loadPredictor,
//     same defaults: one ONNX worker thread, intraOpNumThreads 1): the HTTP + model limit;
//   - the model in-process: the predictor's own predict() (worker thread), and raw onnxruntime-node
//     session.run() on the main thread (the model's limit).
// Load comes from this process with autocannon (loopback), the servers taking turns; median over reps.
// Then both servers at a fixed rate of half Osprey's maximum, for p99 at half load.
// Usage: node --import tsx bench/serving-oip.ts [seconds=5] [reps=3] [connections=16]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import * as ort from 'onnxruntime-node';
import { createEmbeddedClient } from '../src/client/index.js';
import { fetchModel, loadPredictor, type NamedTensors } from '../src/models/index.js';
import { registeredModels } from '../src/serving/host/test-support/registered-models.js';
import { fmtInt, fmtMs, markdownTable, median, quantile } from './support/index.js';
import { machineNote } from './support/machine.js';

const seconds = Number(process.argv[2] ?? 5);
const reps = Number(process.argv[3] ?? 3);
const connections = Number(process.argv[4] ?? 16);
const ROW = [0.5, 0.25];
const BODY = JSON.stringify({
  inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP32', data: ROW }],
});

interface Child {
  url: string;
  stop(): Promise<void>;
}

/** Spawns a TypeScript entry and waits for the "listening on <url>" line it prints. */
async function start(entry: string, args: string[], stream: 'stdout' | 'stderr'): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OSPREY_LOG_LEVEL: 'warn', NODE_NO_WARNINGS: '1' },
  });
  const lines = createInterface({ input: child[stream]! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited early with code ${code}`)));
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  return {
    url,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitReady(url: string) {
  for (let i = 0; i < 2000; i++) {
    const status = await fetch(`${url}/v2/health/ready`)
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} never became ready`);
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, options: { duration: number; rate?: number }): Promise<Load> {
  const result = await autocannon({
    url: `${url}/v2/models/moons/infer`,
    connections,
    duration: options.duration,
    ...(options.rate ? { overallRate: options.rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** Sequential or `concurrency`-wide calls for `seconds`; calls/s and per-call latency quantiles. */
async function inProcess(call: () => Promise<unknown>, concurrency: number): Promise<Load> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return {
    rps: latencies.length / ((performance.now() - start) / 1000),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  };
}

const world = await registeredModels('moons');
const spec = join(world.home, 'deployment.yaml');
await writeFile(
  spec,
  'name: moons\ngraph:\n  name: classifier\n  type: model\n  model: models:/moons@champion\n',
);
const client = createEmbeddedClient(world.osprey);
const fetched = await fetchModel('models:/moons@champion', {
  cacheDir: join(world.home, 'bench-cache'),
  tracking: client,
  resolveModel: (uri) => client.resolveModel(uri),
});
const here = import.meta.dirname;
const osprey = await start(
  join(here, 'support/osprey-cli-child.ts'),
  ['--home', world.home, 'serve', '-f', spec, '--port', '0', '--grpc-port', '0'],
  'stderr',
);
const bare = await start(join(here, 'support/bare-oip-child.ts'), [fetched.dir], 'stdout');
await Promise.all([waitReady(osprey.url), waitReady(bare.url).catch(() => undefined)]);

process.stdout.write(`${await machineNote()}\n`);
const servers = [
  { name: 'osprey serve (OIP REST)', url: osprey.url },
  { name: 'bare Fastify + same predictor', url: bare.url },
];
const runs = new Map<string, Load[]>(servers.map((s) => [s.name, []]));
for (const s of servers) await load(s.url, { duration: 2 }); // warm-up (JIT, worker, connections)
for (let rep = 0; rep < reps; rep++) {
  // Alternate the order, so a burst of load from elsewhere does not always land on the same server.
  const order = rep % 2 === 0 ? servers : [...servers].reverse();
  for (const s of order) runs.get(s.name)!.push(await load(s.url, { duration: seconds }));
}
const max = (name: string) => median(runs.get(name)!.map((r) => r.rps));
const ospreyMax = max(servers[0]!.name);
const bareMax = max(servers[1]!.name);

const half = Math.round(ospreyMax / 2);
const atHalf = new Map<string, Load[]>(servers.map((s) => [s.name, []]));
for (let rep = 0; rep < reps; rep++) {
  for (const s of rep % 2 === 0 ? servers : [...servers].reverse())
    atHalf.get(s.name)!.push(await load(s.url, { duration: seconds, rate: half }));
}
await Promise.all([osprey.stop(), bare.stop()]);

const predictor = await loadPredictor(fetched.dir);
const feeds: NamedTensors = { input: { datatype: 'FP32', shape: [1, 2], data: Float32Array.from(ROW) } };
const session = await ort.InferenceSession.create(join(fetched.dir, 'model.onnx'), { intraOpNumThreads: 1 });
const ortFeeds = { input: new ort.Tensor('float32', Float32Array.from(ROW), [1, 2]) };
const inProc = { predictor: [] as Load[], ort: [] as Load[] };
for (let rep = 0; rep < reps; rep++) {
  inProc.predictor.push(await inProcess(() => predictor.predict(feeds), connections));
  inProc.ort.push(await inProcess(() => session.run(ortFeeds), 1));
}
await predictor.unload();
await session.release();
await world.dispose();

const med = (xs: Load[], key: keyof Load) => median(xs.map((x) => x[key]));
const pct = (x: number) => `${Math.round(x * 100)}%`;
const row = (path: string, clients: string, xs: Load[], ratio: string) => [
  path,
  clients,
  fmtInt(med(xs, 'rps')),
  fmtMs(med(xs, 'p50')),
  fmtMs(med(xs, 'p99')),
  ratio,
];
process.stdout.write(
  `\n${seconds} s per measurement, ${reps} reps, ${connections} connections, 1 row per request\n\n${markdownTable(
    ['path', 'clients', 'req/s (median)', 'p50 ms', 'p99 ms', 'vs bare server'],
    [
      row(servers[0]!.name, String(connections), runs.get(servers[0]!.name)!, pct(ospreyMax / bareMax)),
      row(servers[1]!.name, String(connections), runs.get(servers[1]!.name)!, '100%'),
      row(
        `osprey serve at ${fmtInt(half)} req/s (half max)`,
        String(connections),
        atHalf.get(servers[0]!.name)!,
        '',
      ),
      row(`bare server at ${fmtInt(half)} req/s`, String(connections), atHalf.get(servers[1]!.name)!, ''),
      row('predictor.predict in-process (1 ONNX worker)', String(connections), inProc.predictor, ''),
      row('raw onnxruntime session.run in-process', '1', inProc.ort, ''),
    ],
  )}\n`,
);
