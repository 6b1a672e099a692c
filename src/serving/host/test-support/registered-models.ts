// A real Osprey home (SQLite + blob directory) with two versions of an ONNX classifier logged to runs
// and registered: v1 learnt the moons labels, v2 their opposite, so which version answered is plain.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createOsprey, type Osprey } from '../../../app/index.js';
import { createEmbeddedClient, registerModel, startRun } from '../../../client/index.js';
import { resolveConfig } from '../../../config/index.js';
import {
  type ClassificationModel,
  logModel,
  makeMoons,
  trainLogisticRegression,
  writeTrainedModelPackage,
} from '../../../models/index.js';
import { inferenceServiceDefinition } from '../../protocol/index.js';

export interface RegisteredModels {
  osprey: Osprey;
  home: string;
  /** The trained models behind versions 1 and 2. */
  models: { '1': ClassificationModel; '2': ClassificationModel };
  dispose(): Promise<void>;
}

/** Rows the tests send: both classes, some far from the boundary. */
export const ROWS = [
  [-1, 0.5],
  [0.5, 0.25],
  [1.5, -0.5],
  [2, 0.5],
];

async function logAndRegister(osprey: Osprey, name: string, model: ClassificationModel, dir: string) {
  const client = createEmbeddedClient(osprey);
  const run = await startRun(client, { experimentName: 'serving-host', endOnExit: false });
  const pkg = await writeTrainedModelPackage(model, join(dir, `model-${run.runId}`), {
    columns: ['x1', 'x2'],
  });
  await logModel(client, run.runId, 'model', pkg.dir);
  await run.end();
  return (await registerModel(client, `runs:/${run.runId}/model`, name)).version;
}

/** Opens an Osprey in a fresh home and registers `name` v1 and v2 (alias `champion` → 1). */
export async function registeredModels(name: string): Promise<RegisteredModels> {
  const home = await mkdtemp(join(tmpdir(), 'osprey-host-'));
  const osprey = await createOsprey(resolveConfig({ home, logLevel: 'silent' }, {}));
  const moons = makeMoons({ nSamples: 300, noise: 0.2, seed: 3 });
  const models = {
    '1': trainLogisticRegression(moons.X, moons.y, { c: 1 }),
    '2': trainLogisticRegression(
      moons.X,
      moons.y.map((y) => 1 - y),
      { c: 1 },
    ),
  };
  await logAndRegister(osprey, name, models['1'], home);
  await logAndRegister(osprey, name, models['2'], home);
  await osprey.registry.models.setAlias(name, 'champion', '1');
  return {
    osprey,
    home,
    models,
    dispose: async () => {
      await osprey.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** An OIP REST inference body for `rows`. */
export const oipBody = (rows: readonly (readonly number[])[]) => ({
  inputs: [{ name: 'input', shape: [rows.length, 2], datatype: 'FP32', data: rows.flat() }],
});

/** The labels a version predicts for `rows`, from the trained model itself. */
export const labelsOf = (model: ClassificationModel, rows: readonly (readonly number[])[]) =>
  model.predictProba(rows.map((r) => [...r])).map((p) => (p[1]! >= p[0]! ? 1 : 0));

/** A real grpc-js client of `inference.GRPCInferenceService`; `call('ModelInfer', …)` resolves the reply. */
export function grpcClient(port: number) {
  const Client = grpc.makeGenericClientConstructor(inferenceServiceDefinition(), 'GRPCInferenceService');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (method: string, request: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const fn = (
        client as unknown as Record<string, grpc.requestCallback<unknown> & ((...a: unknown[]) => void)>
      )[method]!.bind(client);
      fn(request, (error: grpc.ServiceError | null, reply: unknown) =>
        error ? reject(error) : resolve(reply as Record<string, unknown>),
      );
    });
  return { call, close: () => client.close() };
}
