// Explanation benchmarks:   node --import tsx bench/explain.ts [--quick]
// Python's shap is not installable here (not in Debian, no PyPI), so the baselines are the work itself:
// 1. TreeSHAP on a gradient-boosted ensemble from Osprey's trainer (100 trees, depth 6, 30 features),
//    read back from its ONNX export: explanations per second, path-dependent and interventional, and
//    nanoseconds per unit of the algorithm's operation count (T·L·D² path-dependent, Lundberg et al.
//    2020; T·L·B interventional over B background rows).
// 2. The same TreeSHAP against brute force over all 2^M coalitions of its own game on a small ensemble
//    (8 features), where both are computable: the speed-up of the polynomial algorithm.
// 3. KernelSHAP on 20 features through the real onnxruntime predictor: time and model rows per
//    explanation at the default sample count (2M + 2048 coalitions) with a 100-row k-means background.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exactShapleyValues,
  explainModel,
  maxDepth,
  predictRaw,
  tabularModel,
  treeEnsembleOf,
  treeShap,
  withCoversFromData,
} from '../src/explain/index.js';
import {
  createRng,
  loadPredictor,
  trainGradientBoostingClassifier,
  writeTrainedModelPackage,
} from '../src/models/index.js';
import { fmtMs, fmtTimes, markdownTable, median } from './support/index.js';
import { machineNote } from './support/machine.js';

const quick = process.argv.includes('--quick');
const rng = createRng(3);
const rowsOf = (n: number, m: number) =>
  Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal()));
const labelsOf = (X: number[][]) =>
  X.map((x) => (x[0]! + x[1]! * x[2]! - 0.5 * x[3]! + 0.3 * rng.normal() > 0 ? 1 : 0));

function timeIt<T>(reps: number, work: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    result = work();
    times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}

const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-explain-'));
try {
  const lines: string[][] = [];
  // 1. TreeSHAP at scale.
  const M = 30;
  const trees = quick ? 10 : 100;
  const X = rowsOf(quick ? 500 : 5000, M);
  const gbt = trainGradientBoostingClassifier(X, labelsOf(X), {
    nEstimators: trees,
    maxDepth: 6,
    learningRate: 0.1,
  });
  await writeTrainedModelPackage(gbt, join(dir, 'gbt'));
  const ensemble = withCoversFromData(treeEnsembleOf(readFileSync(join(dir, 'gbt/model.onnx')), M)!, X);
  const leaves = ensemble.trees.reduce((n, t) => n + t.feature.filter((f) => f < 0).length, 0);
  const depth = maxDepth(ensemble);
  const explainRows = X.slice(0, quick ? 20 : 200);
  const background = X.slice(-100);
  const reps = quick ? 2 : 5;
  const pathDependent = timeIt(reps, () => treeShap(ensemble, explainRows));
  const interventional = timeIt(reps, () => treeShap(ensemble, explainRows, { background }));
  const perRow = (ms: number) => ms / explainRows.length;
  const ops = ensemble.trees.length * (leaves / ensemble.trees.length) * depth * depth;
  lines.push([
    `TreeSHAP path-dependent, ${ensemble.trees.length} trees, depth ${depth}, ${M} features`,
    `${fmtMs(perRow(pathDependent.ms))} (${Math.round(1000 / perRow(pathDependent.ms)).toLocaleString('en-US')}/s)`,
    `T·L·D² = ${Math.round(ops).toLocaleString('en-US')} ops`,
    `${((perRow(pathDependent.ms) * 1e6) / ops).toFixed(2)} ns/op`,
  ]);
  const opsInterventional = leaves * background.length;
  lines.push([
    `TreeSHAP interventional, same ensemble, ${background.length} background rows`,
    `${fmtMs(perRow(interventional.ms))} (${Math.round(1000 / perRow(interventional.ms)).toLocaleString('en-US')}/s)`,
    `T·L·B = ${opsInterventional.toLocaleString('en-US')} ops`,
    `${((perRow(interventional.ms) * 1e6) / opsInterventional).toFixed(2)} ns/op`,
  ]);

  // 2. Against brute force over every coalition, on a small ensemble where that is computable.
  const m = 8;
  const Xs = rowsOf(400, m);
  const small = trainGradientBoostingClassifier(Xs, labelsOf(Xs), { nEstimators: 10, maxDepth: 3 });
  await writeTrainedModelPackage(small, join(dir, 'small'));
  const smallEnsemble = treeEnsembleOf(readFileSync(join(dir, 'small/model.onnx')), m)!;
  const bg = Xs.slice(0, 50);
  const x = Xs[100]!;
  const fast = timeIt(reps * 4, () => treeShap(smallEnsemble, [x], { background: bg }));
  // v(S) = mean over background rows b of f(x_S, b_notS): the interventional game's definition.
  const brute = timeIt(reps, () =>
    exactShapleyValues(m, (mask) => {
      const mixed = bg.map((b) => b.map((v, j) => ((mask >> j) & 1 ? x[j]! : v)));
      const out = predictRaw(smallEnsemble, mixed);
      return [out.reduce((s, row) => s + row[0]!, 0) / out.length];
    }),
  );
  const worst = Math.max(...fast.result.values[0]![0]!.map((v, j) => Math.abs(v - brute.result[0]![j]!)));
  lines.push([
    `interventional TreeSHAP vs brute force over 2^${m} coalitions (10 trees, depth 3, 50 background rows)`,
    fmtMs(fast.ms),
    `brute force ${fmtMs(brute.ms)} ms`,
    `${fmtTimes(brute.ms / fast.ms)} faster; max |Δφ| ${worst.toExponential(1)}`,
  ]);

  // 3. KernelSHAP through onnxruntime.
  const m20 = 20;
  const X20 = rowsOf(2000, m20);
  const gbt20 = trainGradientBoostingClassifier(X20, labelsOf(X20), { nEstimators: 50, maxDepth: 4 });
  await writeTrainedModelPackage(gbt20, join(dir, 'gbt20'));
  const predictor = await loadPredictor(join(dir, 'gbt20'));
  try {
    const model = tabularModel(predictor);
    let modelRows = 0;
    let modelCalls = 0;
    const counted = {
      ...model,
      predict: (rows: number[][]) => {
        modelRows += rows.length;
        modelCalls++;
        return model.predict(rows);
      },
    };
    const kernelRows = X20.slice(0, quick ? 1 : 5);
    const times: number[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      modelRows = 0;
      modelCalls = 0;
      const start = performance.now();
      await explainModel({ model: counted, rows: kernelRows, background: X20, method: 'kernel', seed: i });
      times.push((performance.now() - start) / kernelRows.length);
    }
    lines.push([
      `KernelSHAP, ${m20} features, default nsamples (2M + 2048), 100-row k-means background, onnxruntime model`,
      fmtMs(median(times)),
      `${Math.round(modelRows / kernelRows.length).toLocaleString('en-US')} model rows in ${Math.round(modelCalls / kernelRows.length)} calls per explanation`,
      `${((median(times) * 1e6) / (modelRows / kernelRows.length)).toFixed(0)} ns per model row`,
    ]);
  } finally {
    await predictor.unload();
  }
  console.log(await machineNote());
  console.log(
    markdownTable(['work', 'osprey per explanation, ms (median)', 'baseline / size', 'ratio'], lines),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
