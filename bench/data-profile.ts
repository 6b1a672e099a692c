// Data validation: `osprey data profile` over a generated 1,000,000-row × 10-column CSV (≈ 60 MB),
// beside baselines over the same file in the same run, each in its own process so peak RSS is
// its own:
//   csv-parse   the raw csv-parse pass alone (records counted, nothing else): the floor for
//               any profiler built on it
//   python-csv  CPython's csv module reading every row + numpy mean/std/quantiles on the
//               numeric columns (pandas is not installed here); it holds every value in memory
//   osprey      profileFile(): types, missing, moments, quantiles (exact to 100,000 values
//               per column, then KLL), distinct counts (exact to 10,000, then HyperLogLog),
//               top values, histograms, in bounded memory
// Each contender runs `reps` times; the table gives the median time of the work inside the
// process (start-up excluded), rows per second, the peak RSS, and the ratio to osprey.
// Usage: node --import tsx bench/data-profile.ts [rows=1000000] [reps=3] [dir=os.tmpdir()]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { createRng } from '../src/random/index.js';
import { fmtInt, markdownTable } from './support/markdown.js';
import { median } from './support/stats.js';

interface ChildResult {
  rows: number;
  seconds: number;
  maxRssMiB: number;
}

const PYTHON = `
import csv, resource, sys, time
import numpy as np
t = time.perf_counter()
with open(sys.argv[1], newline='') as f:
    reader = csv.reader(f)
    header = next(reader)
    columns = [[] for _ in header]
    rows = 0
    for row in reader:
        rows += 1
        for i, cell in enumerate(row):
            columns[i].append(cell)
for values in columns:
    try:
        a = np.array([float(v) if v != '' else np.nan for v in values])
    except ValueError:
        np.unique(np.array(values), return_counts=True)
        continue
    a = a[~np.isnan(a)]
    a.mean(); a.std(); np.quantile(a, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]); np.histogram(a, 20)
print('{"rows": %d, "seconds": %f, "maxRssMiB": %f}' % (rows, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
`;

/** Runs one contender in this file as a child process (`--child <name> <file>`). */
async function child(name: string, file: string): Promise<void> {
  // module loading (tsx compiling the sources) is start-up, not work
  const { profileFile } = await import('../src/data/index.js');
  const start = process.hrtime.bigint();
  let rows = 0;
  if (name === 'osprey') {
    rows = (await profileFile(file)).rows;
  } else {
    for await (const _record of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true })))
      rows += 1;
    rows -= 1; // the header
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const result: ChildResult = { rows, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

/** id, 4 floats (one 5% missing), 2 ints, 2 categorical strings, a bool. */
async function makeCsv(path: string, rows: number): Promise<void> {
  const rng = createRng(42);
  const out = createWriteStream(path);
  const cities = ['Lisbon', 'Porto', 'Faro', 'Braga', 'Coimbra', 'Évora', 'Funchal, Madeira'];
  out.write('id,price,score,ratio,temp,qty,year,city,segment,active\n');
  for (let i = 0; i < rows; i++) {
    const city = cities[rng.int(cities.length)] as string;
    const line = [
      i,
      Math.exp(3 + rng.normal()).toFixed(2),
      rng.normal().toFixed(5),
      rng.next() < 0.05 ? '' : rng.next().toFixed(6),
      (15 + 8 * rng.normal()).toFixed(1),
      rng.int(1000),
      2000 + rng.int(26),
      city.includes(',') ? `"${city}"` : city,
      `s${rng.int(40)}`,
      rng.next() < 0.3 ? 'true' : 'false',
    ].join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function run(contender: string, file: string): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const output =
    contender === 'python-csv'
      ? execFileSync('python3', ['-c', PYTHON, file], { encoding: 'utf8' })
      : execFileSync(process.execPath, ['--import', 'tsx', self, '--child', contender, file], {
          encoding: 'utf8',
        });
  return JSON.parse(output) as ChildResult;
}

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const [rowsArg, repsArg, dirArg] = process.argv.slice(2);
  const rows = Number(rowsArg ?? 1_000_000);
  const reps = Number(repsArg ?? 3);
  const dir = await mkdtemp(join(dirArg ?? tmpdir(), 'osprey-bench-profile-'));
  try {
    const file = join(dir, 'data.csv');
    await makeCsv(file, rows);
    const bytes = statSync(file).size;
    console.log(
      `${fmtInt(rows)} rows × 10 columns, ${(bytes / 2 ** 20).toFixed(1)} MiB; load average ${loadavg()[0]?.toFixed(2)}`,
    );
    const contenders = ['csv-parse', ...(hasNumpy() ? ['python-csv'] : []), 'osprey'];
    const results = new Map<string, ChildResult[]>(contenders.map((c) => [c, []]));
    // interleaved, so a change in machine load hits every contender alike
    for (let r = 0; r < reps; r++)
      for (const c of contenders) {
        const result = run(c, file);
        if (result.rows !== rows) throw new Error(`${c} read ${result.rows} rows, expected ${rows}`);
        results.get(c)?.push(result);
      }
    const summary = contenders.map((c) => {
      const rs = results.get(c) ?? [];
      return { c, seconds: median(rs.map((x) => x.seconds)), rss: median(rs.map((x) => x.maxRssMiB)) };
    });
    const osprey = summary.find((s) => s.c === 'osprey')?.seconds ?? Number.NaN;
    console.log(
      markdownTable(
        ['contender', 'median s', 'rows/s', 'peak RSS MiB', 'time vs osprey'],
        summary.map((s) => [
          s.c,
          s.seconds.toFixed(2),
          fmtInt(Math.round(rows / s.seconds)),
          s.rss.toFixed(0),
          `${(s.seconds / osprey).toFixed(2)}×`,
        ]),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as string, process.argv[4] as string);
else await main();
