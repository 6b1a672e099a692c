import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OspreyClient, registerModel, startRun } from '../client/index.js';
import {
  type ClassificationModel,
  logModel,
  trainGradientBoostingClassifier,
  trainLogisticRegression,
  trainMlpClassifier,
  writeTrainedModelPackage,
} from '../models/index.js';
import { type DemoData, makeDemoData, scoreClassifier } from './demo-data.js';

interface Candidate {
  name: string;
  params: Record<string, string | number>;
  train: (data: DemoData['train']) => ClassificationModel & { lossCurve?: readonly number[] };
}

const CANDIDATES: Candidate[] = [
  {
    name: 'logistic',
    params: { model: 'logistic_regression', c: 1 },
    train: (d) => trainLogisticRegression(d.X, d.y, { c: 1 }),
  },
  ...[0.05, 0.2].flatMap((learningRate) =>
    [2, 3].map((maxDepth) => ({
      name: `gbt-lr${learningRate}-d${maxDepth}`,
      params: {
        model: 'gradient_boosting',
        learning_rate: learningRate,
        max_depth: maxDepth,
        n_estimators: 60,
      },
      train: (d: DemoData['train']) =>
        trainGradientBoostingClassifier(d.X, d.y, { learningRate, maxDepth, nEstimators: 60 }),
    })),
  ),
  {
    name: 'mlp-16',
    params: { model: 'mlp', hidden_layers: '16', epochs: 60, learning_rate: 0.01 },
    train: (d) =>
      trainMlpClassifier(d.X, d.y, { hiddenLayers: [16], epochs: 60, learningRate: 0.01, seed: 1 }),
  },
];

/** Writes the model as an Osprey model package (ONNX + signature over the two feature columns) and logs it. */
async function logOnnxModel(
  client: OspreyClient,
  runId: string,
  model: ClassificationModel,
  metrics: { dataset: string; accuracy: number; logLoss: number },
): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), 'osprey-demo-model-'));
  try {
    const { dir } = await writeTrainedModelPackage(model, join(staging, 'model'), {
      columns: ['x1', 'x2'],
      metadata: {
        runId,
        datasetDigests: [metrics.dataset],
        metrics: { accuracy: metrics.accuracy, log_loss: metrics.logLoss },
      },
    });
    await logModel(client, runId, 'model', dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export interface DemoResult {
  experimentId: string;
  sweepRunId: string;
  best: { runId: string; name: string; accuracy: number; logLoss: number };
  registered: { name: string; version: string };
}

/**
 * The quick-start job: trains a small sweep of classifiers on generated data and tracks each run (params,
 * metrics with a learning curve, the dataset digest, the git commit, the ONNX model), then registers the
 * best model as `moons-classifier@champion`.
 */
export async function runDemo(
  client: OspreyClient,
  options: { dataDir: string; log: (line: string) => void },
): Promise<DemoResult> {
  const data = await makeDemoData(join(options.dataDir, 'moons-train.csv'));
  const sweep = await startRun(client, { experimentName: 'osprey-demo', runName: 'sweep', endOnExit: false });
  const dataset = { name: 'moons', digest: data.digest, sourceType: 'local', source: data.path };
  let best: DemoResult['best'] | undefined;
  for (const candidate of CANDIDATES) {
    const run = await startRun(client, {
      experimentId: sweep.run.info.experimentId,
      runName: candidate.name,
      parentRunId: sweep.runId,
      params: candidate.params,
      endOnExit: false,
    });
    await run.logInput(dataset, 'training');
    const started = performance.now();
    const model = candidate.train(data.train);
    const trainSeconds = (performance.now() - started) / 1000;
    for (const [epoch, loss] of (model.lossCurve ?? []).entries())
      run.logMetric('train_loss', loss, { step: epoch });
    const score = scoreClassifier(model.predictProba(data.test.X), data.test.y);
    run.logMetrics({
      test_accuracy: score.accuracy,
      test_log_loss: score.logLoss,
      train_seconds: trainSeconds,
    });
    await run.logText(
      JSON.stringify({ name: candidate.name, params: candidate.params, ...score }, null, 2),
      'summary.json',
    );
    await logOnnxModel(client, run.runId, model, { dataset: data.digest, ...score });
    await run.end();
    options.log(
      `  ${candidate.name.padEnd(18)} accuracy ${score.accuracy.toFixed(3)}  log loss ${score.logLoss.toFixed(3)}`,
    );
    // Accuracy ties on a 200-point test set are common; the better-calibrated model wins them.
    if (
      !best ||
      score.accuracy > best.accuracy ||
      (score.accuracy === best.accuracy && score.logLoss < best.logLoss)
    )
      best = { runId: run.runId, name: candidate.name, accuracy: score.accuracy, logLoss: score.logLoss };
  }
  await sweep.end();
  const version = await registerModel(client, `runs:/${best!.runId}/model`, 'moons-classifier', {
    description: `best of the demo sweep: ${best!.name}`,
  });
  await client.setModelAlias('moons-classifier', 'champion', version.version);
  return {
    experimentId: sweep.run.info.experimentId,
    sweepRunId: sweep.runId,
    best: best!,
    registered: { name: 'moons-classifier', version: version.version },
  };
}
