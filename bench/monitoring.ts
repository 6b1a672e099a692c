// Detector-library benchmarks beside scipy / numpy / sklearn on the same data in the same run:
//   node --import tsx bench/monitoring.ts [--quick]
// 1. KS (40 numeric columns) + chi-squared (10 categorical) over a 100,000-row reference and 10,000
//    current rows: Osprey's TabularDriftDetector (fit + predict, and predict alone) vs scipy's
//    ks_2samp / chi2_contingency column by column. p-values are compared as a sanity check.
// 2. MMD, 2,000 × 2,000 samples × 32 features, 100 permutations: Osprey's MmdDriftDetector vs the same
//    permutation test in vectorised numpy (kernel matrix once, permuted index sums).
// 3. Isolation Forest, 100 trees × 256 samples: fit on 100,000 rows and score 100,000 rows, vs sklearn.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRng,
  IsolationForestDetector,
  MmdDriftDetector,
  TabularDriftDetector,
} from '../src/monitoring/index.js';
import { fmtMs, fmtTimes, markdownTable, median } from './support/index.js';
import { machineNote } from './support/machine.js';

// Debian's interpreter, with python3-scipy, python3-numpy and python3-sklearn from apt-get.
const PYTHON = process.env.OSPREY_BENCH_PYTHON ?? '/usr/bin/python3';
const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { refRows: 5000, curRows: 1000, mmdRows: 300, ifRows: 5000, ifScoreRows: 5000, reps: 2 }
  : { refRows: 100_000, curRows: 10_000, mmdRows: 2000, ifRows: 100_000, ifScoreRows: 100_000, reps: 5 };
const NUMERIC = 40;
const CATEGORICAL = 10;
const MMD_COLS = 32;
const IF_COLS = 10;
const PERMUTATIONS = 100;

const rng = createRng(42);
const matrix = (rows: number, cols: number, cell: (j: number) => number) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, (_, j) => cell(j)));
/** Numeric columns ~ N(shift·j/cols, 1); categorical columns take 8 levels (0…7) with skewed shares. */
const driftRows = (rows: number, shift: number) =>
  matrix(rows, NUMERIC + CATEGORICAL, (j) =>
    j < NUMERIC
      ? rng.normal() + (shift * j) / NUMERIC
      : Math.min(7, Math.floor(-Math.log(1 - rng.next()) * 2)),
  );

async function timeMs<T>(reps: number, work: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    result = await work();
    times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}

function writeF64(dir: string, name: string, rows: number[][]): void {
  writeFileSync(join(dir, `${name}.f64`), new Uint8Array(Float64Array.from(rows.flat()).buffer));
}

const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-monitoring-'));
try {
  const ref = driftRows(SIZES.refRows, 0);
  const cur = driftRows(SIZES.curRows, 0.2);
  const names = Array.from({ length: NUMERIC + CATEGORICAL }, (_, j) => `f${j}`);
  const features = Object.fromEntries(
    names.map((name, j) =>
      j < NUMERIC
        ? [name, { type: 'numerical' as const, test: 'ks' as const }]
        : [name, { type: 'categorical' as const, test: 'chi2' as const }],
    ),
  );
  const detector = () => new TabularDriftDetector({ featureNames: names, features });
  const fitted = detector().fit(ref);
  const both = await timeMs(SIZES.reps, () => detector().fit(ref).predict(cur));
  const predictOnly = await timeMs(SIZES.reps, () => fitted.predict(cur));

  const mmdX = matrix(SIZES.mmdRows, MMD_COLS, () => rng.normal());
  const mmdY = matrix(SIZES.mmdRows, MMD_COLS, (j) => rng.normal() + (j === 0 ? 0.1 : 0));
  const mmd = new MmdDriftDetector({ nPermutations: PERMUTATIONS, seed: 0 }).fit(mmdX);
  const sigma = mmd.toJSON().sigma!;
  const mmdRun = await timeMs(Math.max(1, SIZES.reps >> 1), () => mmd.predict(mmdY));

  const ifTrain = matrix(SIZES.ifRows, IF_COLS, () => rng.normal());
  const ifScore = matrix(SIZES.ifScoreRows, IF_COLS, () => rng.normal());
  const ifFit = await timeMs(SIZES.reps, () =>
    new IsolationForestDetector({ nEstimators: 100, maxSamples: 256, seed: 0 }).fit(ifTrain),
  );
  const ifScoreRun = await timeMs(SIZES.reps, () => ifFit.result.predict(ifScore));

  for (const [name, rows] of Object.entries({
    'drift-ref': ref,
    'drift-cur': cur,
    'mmd-x': mmdX,
    'mmd-y': mmdY,
    'if-train': ifTrain,
    'if-score': ifScore,
  }))
    writeF64(dir, name, rows);
  const args = {
    dir,
    ...SIZES,
    cols: NUMERIC + CATEGORICAL,
    numeric: NUMERIC,
    mmdCols: MMD_COLS,
    permutations: PERMUTATIONS,
    sigma,
    ifCols: IF_COLS,
  };
  const python = JSON.parse(
    execFileSync(
      PYTHON,
      [join(import.meta.dirname, 'support/monitoring_reference.py'), JSON.stringify(args)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    ),
  ) as { driftMs: number; driftP: number[]; mmdMs: number; mmdP: number; ifFitMs: number; ifScoreMs: number };

  const ospreyP = both.result.perFeature!.map((f) => f.pValue!);
  const worstRelative = Math.max(
    ...ospreyP.map((p, j) => {
      const q = python.driftP[j]!;
      return q === 0 && p === 0 ? 0 : Math.abs(p - q) / Math.max(Math.abs(q), 1e-300);
    }),
  );
  const rowsPerSecond = (rows: number, ms: number) =>
    `${Math.round((rows / ms) * 1000).toLocaleString('en-US')} rows/s`;
  console.log(await machineNote());
  console.log(
    markdownTable(
      ['work', 'osprey median ms', 'baseline median ms', 'baseline', 'osprey / baseline', 'target'],
      [
        [
          `KS ×${NUMERIC} + chi² ×${CATEGORICAL}, ${SIZES.refRows.toLocaleString('en-US')} ref × ${SIZES.curRows.toLocaleString('en-US')} current (fit + predict)`,
          fmtMs(both.ms),
          fmtMs(python.driftMs),
          'scipy ks_2samp + chi2_contingency per column',
          fmtTimes(both.ms / python.driftMs),
          `≤ 1× scipy, < 1 s: ${both.ms <= python.driftMs && both.ms < 1000 ? 'met' : 'missed'}`,
        ],
        [
          'same, predict only (reference fitted once)',
          fmtMs(predictOnly.ms),
          fmtMs(python.driftMs),
          'same',
          fmtTimes(predictOnly.ms / python.driftMs),
          '',
        ],
        [
          `MMD ${SIZES.mmdRows} × ${SIZES.mmdRows} × ${MMD_COLS}, ${PERMUTATIONS} permutations`,
          fmtMs(mmdRun.ms),
          fmtMs(python.mmdMs),
          'numpy: kernel matrix once, permuted block sums',
          fmtTimes(mmdRun.ms / python.mmdMs),
          `≤ 2 s: ${mmdRun.ms <= 2000 ? 'met' : 'missed'}`,
        ],
        [
          `Isolation Forest fit, 100 trees × 256 (of ${SIZES.ifRows.toLocaleString('en-US')} rows)`,
          fmtMs(ifFit.ms),
          fmtMs(python.ifFitMs),
          'sklearn IsolationForest.fit',
          fmtTimes(ifFit.ms / python.ifFitMs),
          '',
        ],
        [
          `Isolation Forest scoring ${SIZES.ifScoreRows.toLocaleString('en-US')} rows`,
          `${fmtMs(ifScoreRun.ms)} (${rowsPerSecond(SIZES.ifScoreRows, ifScoreRun.ms)})`,
          `${fmtMs(python.ifScoreMs)} (${rowsPerSecond(SIZES.ifScoreRows, python.ifScoreMs)})`,
          'sklearn score_samples',
          fmtTimes(ifScoreRun.ms / python.ifScoreMs),
          '',
        ],
      ],
    ),
  );
  console.log(
    `\np-values: worst relative difference from scipy over ${ospreyP.length} columns ${worstRelative.toExponential(2)}; ` +
      `MMD p-value osprey ${mmdRun.result.pValue} vs numpy ${python.mmdP} (different permutation draws).`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
