import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { OspreyClient } from '../../client/index.js';
import { invalidArgument } from '../../errors/index.js';
import type { Predictor } from '../../models/index.js';
import { globalOptions, withClient } from '../context.js';
import { type Output, print } from '../output.js';

interface ReportFlags {
  data: string;
  output?: string;
  html?: string;
  out?: string;
  runId?: string;
}

interface ExplainFlags extends ReportFlags {
  background?: string;
  rows: string;
  method: string;
  nsamples?: string;
  seed: string;
}

interface AssessFlags extends ReportFlags {
  label: string;
  sensitive?: string;
  classes?: string;
}

/** `osprey explain <uri>` and `osprey assess <uri>`: SHAP values and model assessment as JSON and HTML. */
export function explainCommand(program: Command, output: Output) {
  const common = (command: Command) =>
    command
      .requiredOption('-d, --data <file>', 'a .csv (header = column names) or .json file of rows')
      .option('--output <name>', 'the model output to use (default: its first floating-point output)')
      .option('--html <file>', 'write a self-contained HTML report here')
      .option('--out <file>', 'write the full result as JSON here')
      .option('--run-id <run>', 'also log the report and the JSON as artifacts of this run (under explain/)');

  common(program.command('explain <uri>'))
    .description('SHAP attributions of a model (runs:/…, models:/name@alias, a path) on rows of a file')
    .option('-b, --background <file>', 'background rows (default: the data file)')
    .option('-n, --rows <n>', 'explain the first n rows', '100')
    .option(
      '-m, --method <method>',
      'auto (TreeSHAP for tree ensembles, else KernelSHAP) | tree | kernel',
      'auto',
    )
    .option('--nsamples <n>', 'KernelSHAP coalitions per row (default: 2M + 2048)')
    .option('--seed <n>', 'seed for sampling', '0')
    .action(async (uri: string, flags: ExplainFlags, command: Command) =>
      withModel(command, uri, async ({ client, predictor, onnx }) => {
        const explain = await import('../../explain/index.js');
        const model = explain.tabularModel(predictor, { output: flags.output });
        const data = explain.numericRows(await readRecords(flags.data), model.featureNames);
        const background = flags.background
          ? explain.numericRows(await readRecords(flags.background), model.featureNames)
          : data;
        const explanation = await explain.explainModel({
          model,
          rows: data.slice(0, positiveInt(flags.rows, '--rows')),
          background,
          tree: onnx ? explain.treeEnsembleOf(onnx, model.featureNames.length) : undefined,
          method: oneOf(flags.method, ['auto', 'tree', 'kernel'] as const, '--method'),
          nsamples: flags.nsamples === undefined ? 'auto' : positiveInt(flags.nsamples, '--nsamples'),
          seed: positiveInt(flags.seed, '--seed', 0),
        });
        const importance = explain.meanAbsoluteShap(explanation, explanation.values.length - 1);
        const html = explain.renderReport({ title: `SHAP values of ${uri}`, shap: { explanation } });
        await deliver(output, client, flags, { uri, output: model.output, importance, explanation }, html);
        print(output, Boolean(globalOptions(command).json), importance, () => ({
          head: ['feature', 'mean |SHAP|'],
          rows: importance.map((f) => [f.feature, f.meanAbsShap.toPrecision(4)]),
        }));
      }),
    );

  common(program.command('assess <uri>'))
    .description('assess a model on labelled rows: metrics, curves, calibration, fairness by group')
    .requiredOption('-l, --label <column>', 'the column holding the true label')
    .option('-s, --sensitive <columns>', 'comma-separated sensitive columns for the fairness report')
    .option('--classes <names>', 'comma-separated class names in output order (default 0, 1, …)')
    .action(async (uri: string, flags: AssessFlags, command: Command) =>
      withModel(command, uri, async ({ client, predictor }) => {
        const explain = await import('../../explain/index.js');
        const model = explain.tabularModel(predictor, { output: flags.output });
        const records = await readRecords(flags.data);
        const column = (name: string) => {
          if (!(name in (records[0] ?? {}))) throw invalidArgument(`the data has no column '${name}'`);
          return records.map((r) => cell(r[name]));
        };
        const labels = column(flags.label).map((v) => v ?? '');
        const sensitive = Object.fromEntries(
          (flags.sensitive?.split(',') ?? []).map((name) => [name.trim(), column(name.trim())]),
        );
        const assessment = explain.assessModel({
          labels,
          outputs: await model.predict(explain.numericRows(records, model.featureNames)),
          sensitive,
          classes: flags.classes
            ?.split(',')
            .map(cell)
            .map((v) => v ?? ''),
        });
        const html = explain.renderReport({
          title: `Assessment of ${uri}`,
          ...explain.assessmentReport(assessment),
        });
        await deliver(output, client, flags, { uri, output: model.output, assessment }, html);
        const metrics =
          assessment.kind === 'regression'
            ? Object.entries(assessment.metrics)
            : [
                ['accuracy', assessment.metrics.accuracy],
                ['macro F1', assessment.metrics.macro.f1],
                ...(assessment.binary ? [['ROC AUC', assessment.binary.roc.auc]] : []),
              ];
        print(output, Boolean(globalOptions(command).json), assessment, () => ({
          head: ['metric', 'value'],
          rows: metrics.map(([name, value]) => [name, Number(value).toPrecision(4)]),
        }));
      }),
    );
}

interface LoadedModel {
  client: OspreyClient;
  predictor: Predictor;
  /** The ONNX graph's bytes, for onnx-flavor models. */
  onnx?: Uint8Array;
}

async function withModel(command: Command, uri: string, work: (model: LoadedModel) => Promise<void>) {
  await withClient(command, async (client) => {
    const { fetchModel, loadPredictor } = await import('../../models/index.js');
    const home = globalOptions(command).home ?? '.';
    const fetched = await fetchModel(uri, {
      cacheDir: join(home, '.osprey', 'models'),
      tracking: client,
      resolveModel: (u) => client.resolveModel(u),
    });
    const predictor = await loadPredictor(fetched.dir);
    try {
      const manifest = predictor.package.manifest;
      const onnx =
        manifest.flavor === 'onnx' ? await readFile(join(fetched.dir, manifest.onnx.file)) : undefined;
      await work({ client, predictor, onnx });
    } finally {
      await predictor.unload();
    }
  });
}

async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  const { readPredictInput } = await import('../../models/index.js');
  const input = await readPredictInput(path);
  if (input.kind !== 'rows') throw invalidArgument(`${path} must hold rows, not tensors`);
  const rows = input.rows;
  if (Array.isArray(rows)) return rows;
  return rows.data.map((values) => Object.fromEntries(rows.columns.map((c, j) => [c, values[j]])));
}

/** A CSV cell as a label: numbers where they parse, strings otherwise, empty as missing. */
function cell(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = String(value);
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

/** Writes the JSON and HTML files asked for (atomically) and logs them to the run when asked. */
async function deliver(
  output: Output,
  client: OspreyClient,
  flags: ReportFlags,
  result: unknown,
  html: string,
) {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (flags.out) await writeAtomically(flags.out, json);
  if (flags.html) await writeAtomically(flags.html, html);
  if (flags.runId) {
    await client.uploadArtifact(flags.runId, 'explain/report.html', Buffer.from(html, 'utf8'));
    await client.uploadArtifact(flags.runId, 'explain/result.json', Buffer.from(json, 'utf8'));
    output.err(`logged explain/report.html and explain/result.json to run ${flags.runId}`);
  }
}

async function writeAtomically(path: string, text: string) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

function positiveInt(text: string, flag: string, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw invalidArgument(`${flag} must be an integer >= ${min}, got ${text}`);
  return value;
}

function oneOf<T extends string>(text: string, choices: readonly T[], flag: string): T {
  if (!(choices as readonly string[]).includes(text))
    throw invalidArgument(`${flag} must be one of ${choices.join(', ')}, got ${text}`);
  return text as T;
}
