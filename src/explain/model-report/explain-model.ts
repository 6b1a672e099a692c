import { invalidArgument } from '../../errors/index.js';
import type { ShapExplanation } from '../common/explanation.js';
import { createKernelExplainer, summariseBackground } from '../kernel/index.js';
import { type TreeEnsemble, treeShap } from '../tree/index.js';
import type { TabularModel } from './tabular-model.js';

export type ExplainMethod = 'auto' | 'tree' | 'kernel';

export interface ExplainModelInput {
  model: TabularModel;
  /** The rows to explain. */
  rows: number[][];
  /** Rows standing for "feature absent" (the training data, or a sample of it). */
  background: number[][];
  /** The model's tree ensemble, when it is one: 'auto' then uses exact TreeSHAP. */
  tree?: TreeEnsemble;
  method?: ExplainMethod;
  /** KernelSHAP coalitions per row (default 'auto': 2M + 2048, capped at 2^M - 2). */
  nsamples?: number | 'auto';
  /** Background rows kept, summarised with k-means (default 100). */
  maxBackground?: number;
  seed?: number;
}

/**
 * SHAP values of a model on a table: exact interventional TreeSHAP for a tree ensemble (the raw
 * margin, against the background), else KernelSHAP on the model's output, with the background
 * summarised by weighted k-means so the cost stays bounded.
 */
export async function explainModel(input: ExplainModelInput): Promise<ShapExplanation> {
  const { model, rows } = input;
  if (rows.length === 0) throw invalidArgument('no rows to explain');
  if (input.background.length === 0) throw invalidArgument('the background set is empty');
  const method = input.method ?? 'auto';
  if (method === 'tree' && !input.tree)
    throw invalidArgument('--method tree needs a tree-ensemble ONNX model');
  const seed = input.seed ?? 0;
  const k = input.maxBackground ?? 100;
  if (input.tree && method !== 'kernel') {
    const background = evenlySpaced(input.background, k);
    return treeShap(input.tree, rows, { background, featureNames: model.featureNames });
  }
  const background =
    input.background.length > k
      ? summariseBackground(input.background, { method: 'kmeans', k, seed })
      : input.background;
  const explainer = await createKernelExplainer({
    predict: (batch) => model.predict(batch),
    background,
    featureNames: model.featureNames,
  });
  return explainer.explain(rows, { nsamples: input.nsamples ?? 'auto', seed });
}

/** Every row when there are at most k, else k evenly spaced ones (interventional TreeSHAP is exact per row). */
function evenlySpaced(rows: number[][], k: number): number[][] {
  if (rows.length <= k) return rows;
  return Array.from({ length: k }, (_, i) => rows[Math.floor((i * rows.length) / k)]!);
}

/** Mean |SHAP| per feature for one output, largest first: the global importance ranking. */
export function meanAbsoluteShap(
  explanation: ShapExplanation,
  output = 0,
): { feature: string; meanAbsShap: number }[] {
  const values = explanation.values[output] ?? [];
  return explanation.featureNames
    .map((feature, j) => ({
      feature,
      meanAbsShap: values.reduce((sum, row) => sum + Math.abs(row[j]!), 0) / Math.max(values.length, 1),
    }))
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap);
}
