// Child process entry for bench/serving-oip.ts: the baseline a hand-written server gives. A bare Fastify
// app with one OIP infer route calling the same predictor (loadPredictor, same defaults) as `osprey serve`,
// and nothing else: no graph, no request checks beyond the predictor's, no metrics, no logging.
import Fastify from 'fastify';
import { loadPredictor, type NamedTensors } from '../../src/models/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bare-oip-child.ts <model-package-dir>');
const predictor = await loadPredictor(dir);

interface Body {
  id?: string;
  inputs: { name: string; shape: number[]; datatype: 'FP32'; data: number[] }[];
}

const app = Fastify({ logger: false });
app.post<{ Body: Body }>('/v2/models/:model/infer', async (request) => {
  const inputs: NamedTensors = {};
  for (const i of request.body.inputs)
    inputs[i.name] = { datatype: i.datatype, shape: i.shape, data: Float32Array.from(i.data) };
  const outputs = await predictor.predict(inputs);
  return {
    model_name: 'moons',
    id: request.body.id ?? '',
    outputs: Object.entries(outputs).map(([name, t]) => ({
      name,
      datatype: t.datatype,
      shape: t.shape,
      data: Array.from(t.data as ArrayLike<number | bigint>, Number),
    })),
  };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no TCP address');
process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => predictor.unload())
      .then(() => process.exit(0)),
);
