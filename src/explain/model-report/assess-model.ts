import { invalidArgument } from '../../errors/index.js';
import {
  averagePrecision,
  type CalibrationCurve,
  type Cell,
  type ClassBalance,
  type ClassificationMetrics,
  calibrationCurve,
  classBalance,
  classificationMetrics,
  type Label,
  type PrCurve,
  precisionRecallCurve,
  type RegressionMetrics,
  type RocCurve,
  regressionMetrics,
  rocAuc,
  rocCurve,
  type ThresholdAnalysis,
  thresholdAnalysis,
} from '../assessment/index.js';
import { type FairnessReport, fairnessReport } from '../fairness/index.js';
import type { ReportInput } from '../report/index.js';

export interface AssessModelInput {
  /** True labels (classification: class indices or names in output-column order; regression: numbers). */
  labels: readonly Label[];
  /** The model's output per row: one column (regression) or one probability per class. */
  outputs: readonly (readonly number[])[];
  /** Sensitive columns for the fairness report, by name. */
  sensitive?: Readonly<Record<string, readonly Cell[]>>;
  /** Class names in output-column order (default 0, 1, … when the labels are numbers). */
  classes?: readonly Label[];
}

/** What `assessModel` found: classification (with curves when binary) or regression metrics. */
export type Assessment =
  | {
      kind: 'classification';
      classBalance: ClassBalance;
      metrics: ClassificationMetrics;
      /** Binary classifiers only: curves on the positive class's probability. */
      binary?: {
        roc: { curve: RocCurve; auc: number };
        pr: { curve: PrCurve; averagePrecision: number };
        calibration: CalibrationCurve;
        thresholds: ThresholdAnalysis;
      };
      fairness: Record<string, FairnessReport>;
    }
  | { kind: 'regression'; metrics: RegressionMetrics };

/**
 * Model assessment on labelled data: a one-column output is a regression; several columns are class
 * probabilities, predicted by argmax, with ROC, PR, calibration and threshold analysis when there are
 * two classes, and a fairness report per sensitive column.
 */
export function assessModel(input: AssessModelInput): Assessment {
  const { labels, outputs } = input;
  if (labels.length === 0) throw invalidArgument('no labelled rows to assess');
  if (labels.length !== outputs.length)
    throw invalidArgument(`${labels.length} labels for ${outputs.length} predictions`);
  const width = outputs[0]!.length;
  if (width === 1) {
    const truth = labels.map((label, i) => {
      const value = Number(label);
      if (!Number.isFinite(value)) throw invalidArgument(`label ${i + 1} (${String(label)}) is not a number`);
      return value;
    });
    return {
      kind: 'regression',
      metrics: regressionMetrics(
        truth,
        outputs.map((row) => row[0]!),
      ),
    };
  }
  const classes = input.classes ?? Array.from({ length: width }, (_, k) => k);
  if (classes.length !== width) throw invalidArgument(`${classes.length} class names for ${width} outputs`);
  const known = new Set(classes.map(String));
  const truth = labels.map((label, i) => {
    if (!known.has(String(label)))
      throw invalidArgument(
        `label ${i + 1} (${String(label)}) is not one of the classes ${classes.join(', ')}`,
      );
    return classes.find((c) => String(c) === String(label))!;
  });
  const predicted = outputs.map((row) => classes[argmax(row)]!);
  const fairness: Record<string, FairnessReport> = {};
  const posLabel = classes[1]!;
  for (const [name, column] of Object.entries(input.sensitive ?? {})) {
    if (column.length !== labels.length)
      throw invalidArgument(`sensitive column '${name}' has the wrong length`);
    if (width === 2) fairness[name] = fairnessReport(truth, predicted, column, { posLabel });
  }
  return {
    kind: 'classification',
    classBalance: classBalance(truth),
    metrics: classificationMetrics(truth, predicted, { labels: [...classes] }),
    binary:
      width === 2
        ? binaryCurves(
            truth,
            outputs.map((row) => row[1]!),
            posLabel,
          )
        : undefined,
    fairness,
  };
}

function binaryCurves(truth: readonly Label[], scores: readonly number[], posLabel: Label) {
  const options = { posLabel };
  const bothClasses = new Set(truth.map(String)).size === 2;
  if (!bothClasses) return undefined;
  return {
    roc: { curve: rocCurve(truth, scores, options), auc: rocAuc(truth, scores, options) },
    pr: {
      curve: precisionRecallCurve(truth, scores, options),
      averagePrecision: averagePrecision(truth, scores, options),
    },
    calibration: calibrationCurve(truth, scores, options),
    thresholds: thresholdAnalysis(truth, scores, options),
  };
}

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
  return best;
}

/** The report sections of an assessment. */
export function assessmentReport(assessment: Assessment): Omit<ReportInput, 'title'> {
  if (assessment.kind === 'regression') {
    const m = assessment.metrics;
    return {
      notes: [
        `regression on ${m.n} rows: RMSE ${m.rmse.toPrecision(4)}, MAE ${m.mae.toPrecision(4)}, R² ${m.r2.toPrecision(4)}`,
      ],
    };
  }
  return {
    classBalance: assessment.classBalance,
    classification: assessment.metrics,
    ...(assessment.binary
      ? { roc: assessment.binary.roc, pr: assessment.binary.pr, calibration: assessment.binary.calibration }
      : {}),
    fairness: assessment.fairness,
  };
}
