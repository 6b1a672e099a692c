// Runs the benchmarks: `npm run bench` (all) or `npm run bench -- search-runs log-batch` (by name).
// `--quick` shrinks every benchmark to a smoke test (figures from it mean nothing).
// `--cpu-prof-dir=<dir>` makes log-batch profile its server process (read it with bench/profile-summary.ts).
import { logBatchBench } from './log-batch.js';
import { metricHistoryBench } from './metric-history.js';
import { searchRunsBench } from './search-runs.js';
import { machineNote } from './support/machine.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const cpuProfDir = args.find((a) => a.startsWith('--cpu-prof-dir='))?.split('=')[1];

const BENCHES: Record<string, () => Promise<string>> = {
  'log-batch': () =>
    logBatchBench(
      quick
        ? { reps: 1, batches: 8, clients: 4, cpuProfDir }
        : { reps: 5, batches: 60, clients: 4, cpuProfDir },
    ),
  'search-runs': () =>
    searchRunsBench(
      quick ? { runs: 2000, queries: 5, budgetMs: 5000 } : { runs: 100_000, queries: 50, budgetMs: 20_000 },
    ),
  'metric-history': () =>
    metricHistoryBench(
      quick ? { points: 20_000, reps: 3, budgetMs: 5000 } : { points: 1_000_000, reps: 15, budgetMs: 40_000 },
    ),
};

const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
  );
  process.exit(2);
}
console.log(await machineNote());
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  const start = Date.now();
  const report = await BENCHES[name]!();
  console.log(`\n${report}\n\n(${name} took ${((Date.now() - start) / 1000).toFixed(0)} s)`);
}
