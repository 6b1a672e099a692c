import { invalidArgument, isOspreyError } from '../../errors/index.js';
import { createRng } from '../../random/index.js';
import { featureNamesOrDefault, type ShapExplanation } from '../common/explanation.js';
import { callModel, type PredictFn } from '../common/model.js';
import { assertInt, assertMatrix, normaliseWeights } from '../common/validate.js';
import type { Background } from './background.js';
import { type CoalitionPlan, enumerateCoalitions, sampleCoalitions } from './coalitions.js';
import { type L1Reg, parseL1Reg, selectFeatures } from './l1-select.js';
import { solveKernelRegression } from './solve.js';

/** Output space of the explanation: identity, or log-odds for probability outputs. */
export type Link = 'identity' | 'logit';

export interface KernelExplainerOptions {
  predict: PredictFn;
  /** Background rows (or a summary from `summariseBackground`); absent features take their values. */
  background: number[][] | Background;
  backgroundWeights?: number[];
  link?: Link;
  featureNames?: string[];
  /** Most rows sent to the model in one call (default 8192); coalitions are batched to fill it. */
  maxBatchRows?: number;
}

export interface KernelExplainOptions {
  /** Coalitions per row; 'auto' (default) = 2M + 2048, capped at 2^M - 2 (shap's default). */
  nsamples?: number | 'auto';
  /** Enumerate all 2^M - 2 coalitions (exact Shapley values) when M <= this (default 12). */
  maxExactFeatures?: number;
  /** L1 feature selection before the regression (default 'auto'; see L1Reg). */
  l1Reg?: L1Reg;
  seed?: number;
  /** Called after each explained row. */
  onProgress?: (done: number, total: number) => void;
}

export interface KernelExplainer {
  /** E[f(X)] over the background, per output, in link space. */
  expectedValue: number[];
  explain(rows: number[][], options?: KernelExplainOptions): Promise<ShapExplanation>;
}

/**
 * Model-agnostic KernelSHAP (Lundberg & Lee 2017, sec. 4.1) for the interventional game
 * v(S) = E_b[f(x_S, b_notS)] over a weighted background: Shapley-kernel-weighted coalitions
 * (exact enumeration when small, else paired sampling), one batched model call per group of
 * coalitions, and a least-squares solve that satisfies sum(phi) = link(f(x)) - link(E[f]) exactly.
 */
export async function createKernelExplainer(options: KernelExplainerOptions): Promise<KernelExplainer> {
  const bgRows = Array.isArray(options.background) ? options.background : options.background.data;
  const m = assertMatrix('background', bgRows);
  const bgWeights = normaliseWeights(
    'backgroundWeights',
    bgRows.length,
    Array.isArray(options.background) ? options.backgroundWeights : options.background.weights,
  );
  const link = options.link ?? 'identity';
  if (link !== 'identity' && link !== 'logit') throw invalidArgument(`unknown link '${String(link)}'`);
  const maxBatchRows = options.maxBatchRows ?? 8192;
  assertInt('maxBatchRows', maxBatchRows, 1);
  const predict = options.predict;
  const bgOut = await callModel(predict, bgRows);
  const k = bgOut[0]!.length;
  const fnull = Array.from({ length: k }, (_, o) =>
    bgOut.reduce((acc, row, b) => acc + bgWeights[b]! * row[o]!, 0),
  );
  const linkFn = link === 'logit' ? logit : (v: number) => v;
  const expectedValue = fnull.map(linkFn);
  const summary = Array.isArray(options.background) ? `rows(${bgRows.length})` : options.background.summary;

  // E_b[f(x with z's features, b elsewhere)] for every coalition, per output, in batched model calls.
  const evaluate = async (x: number[], varying: number[], plan: CoalitionPlan): Promise<number[][]> => {
    const perCall = Math.max(1, Math.floor(maxBatchRows / bgRows.length));
    const ey: number[][] = [];
    for (let start = 0; start < plan.masks.length; start += perCall) {
      const batch = plan.masks.slice(start, start + perCall);
      const synthetic: number[][] = [];
      for (const z of batch) {
        for (const b of bgRows) {
          const row = [...b];
          for (let jj = 0; jj < varying.length; jj++) if (z[jj]) row[varying[jj]!] = x[varying[jj]!]!;
          synthetic.push(row);
        }
      }
      const out = await callModel(predict, synthetic);
      if (out[0]!.length !== k) throw invalidArgument('model output width changed between calls');
      batch.forEach((_, c) => {
        const acc = new Array<number>(k).fill(0);
        for (let b = 0; b < bgRows.length; b++) {
          const row = out[c * bgRows.length + b]!;
          for (let o = 0; o < k; o++) acc[o]! += bgWeights[b]! * row[o]!;
        }
        ey.push(acc);
      });
    }
    return ey;
  };

  const explain = async (rows: number[][], opts: KernelExplainOptions = {}): Promise<ShapExplanation> => {
    assertMatrix('rows', rows, m);
    const maxExact = opts.maxExactFeatures ?? 12;
    assertInt('maxExactFeatures', maxExact, 0, 20);
    const plan = parseL1Reg(opts.l1Reg);
    const seed = opts.seed ?? 0;
    const rng = createRng(seed);
    const fx = await callModel(predict, rows);
    const values = Array.from({ length: k }, () => rows.map(() => new Array<number>(m).fill(0)));
    let maxCoalitions = 0;
    let allExact = true;
    let anySingular = false;
    for (let i = 0; i < rows.length; i++) {
      const x = rows[i]!;
      const varying = varyingFeatures(x, bgRows);
      const mv = varying.length;
      const totals = fx[i]!.map((v, o) => linkFn(v) - expectedValue[o]!);
      if (mv === 1) for (const [o, t] of totals.entries()) values[o]![i]![varying[0]!] = t;
      if (mv >= 2) {
        const space = 2 ** mv - 2;
        const requested =
          opts.nsamples === undefined || opts.nsamples === 'auto' ? 2 * mv + 2048 : opts.nsamples;
        assertInt('nsamples', requested, 1);
        const budget = Math.min(requested, space);
        const coalitions =
          mv <= maxExact || budget >= space ? enumerateCoalitions(mv) : sampleCoalitions(mv, budget, rng);
        allExact &&= coalitions.exact;
        maxCoalitions = Math.max(maxCoalitions, coalitions.masks.length);
        const ey = await evaluate(x, varying, coalitions);
        for (let o = 0; o < k; o++) {
          const y = Float64Array.from(ey, (e) => linkFn(e[o]!) - expectedValue[o]!);
          const fraction = coalitions.masks.length / space;
          const useIc = plan.kind === 'auto' && !coalitions.exact && fraction < 0.2;
          const all = varying.map((_, jj) => jj);
          let selected = all;
          if (plan.kind !== 'none' && plan.kind !== 'auto') {
            selected = selectFeatures(coalitions.masks, coalitions.weights, y, totals[o]!, mv, plan);
          } else if (useIc) {
            // 'auto' is best effort: without enough rows for the noise estimate it keeps every feature.
            try {
              selected = selectFeatures(coalitions.masks, coalitions.weights, y, totals[o]!, mv, {
                kind: 'ic',
                criterion: 'aic',
              });
            } catch (err) {
              if (!isOspreyError(err)) throw err;
            }
          }
          const { phi, singular } = solveKernelRegression(
            coalitions.masks,
            coalitions.weights,
            y,
            totals[o]!,
            selected,
            mv,
          );
          anySingular ||= singular;
          for (let jj = 0; jj < mv; jj++) values[o]![i]![varying[jj]!] = phi[jj]!;
        }
      }
      opts.onProgress?.(i + 1, rows.length);
    }
    return {
      method: 'kernel',
      featureNames: featureNamesOrDefault(m, options.featureNames),
      baseValues: [...expectedValue],
      values,
      outputs: Array.from({ length: k }, (_, o) => fx.map((row) => linkFn(row[o]!))),
      data: rows.map((r) => [...r]),
      details: {
        link,
        background: summary,
        backgroundSize: bgRows.length,
        seed,
        maxCoalitions,
        exact: allExact,
        l1Reg: JSON.stringify(opts.l1Reg ?? 'auto'),
        singularFallback: anySingular,
      },
    };
  };

  return { expectedValue, explain };
}

/** Features where x differs from at least one background row (others get phi = 0; shap's varying groups). */
export function varyingFeatures(x: readonly number[], background: readonly number[][]): number[] {
  const out: number[] = [];
  for (let j = 0; j < x.length; j++) {
    const v = x[j]!;
    if (background.some((b) => !(b[j] === v || (Number.isNaN(b[j]!) && Number.isNaN(v))))) out.push(j);
  }
  return out;
}

function logit(p: number): number {
  if (!(p > 0 && p < 1))
    throw invalidArgument(`logit link needs model outputs strictly inside (0, 1), got ${p}`);
  return Math.log(p / (1 - p));
}
