// A small Open Inference Protocol REST server for tests (OIP `inference_rest.md`): model metadata
// and infer endpoints for a linear model y = x·w + b, with the protocol's validation and
// `{"error"}` bodies. It knows nothing of Osprey's runtime code, so the remote runtime is tested
// against the wire format rather than against itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One model the server hosts. */
export interface OipServerModel {
  name: string;
  version: string;
  weights: number[];
  bias: number;
  /** Milliseconds to wait before answering an infer request. */
  delayMs?: number;
  /** Answer every infer request with this HTTP status (e.g. 503). */
  failWith?: number;
}

/** A running test server. */
export interface OipTestServer {
  url: string;
  /** Bodies of the infer requests received, in order. */
  requests: unknown[];
  close(): Promise<void>;
}

interface InferInput {
  name?: unknown;
  datatype?: unknown;
  shape?: unknown;
  data?: unknown;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function metadata(m: OipServerModel) {
  return {
    name: m.name,
    versions: [m.version],
    platform: 'osprey_test',
    inputs: [{ name: 'x', datatype: 'FP64', shape: [-1, m.weights.length] }],
    outputs: [
      { name: 'y', datatype: 'FP64', shape: [-1] },
      { name: 'positive', datatype: 'BOOL', shape: [-1] },
    ],
  };
}

function infer(m: OipServerModel, body: { id?: unknown; inputs?: unknown; outputs?: unknown }) {
  const inputs = body.inputs as InferInput[] | undefined;
  const x = Array.isArray(inputs) ? inputs.find((i) => i.name === 'x') : undefined;
  if (!x || !Array.isArray(inputs) || inputs.length !== 1)
    return { status: 400, body: { error: "expected exactly one input named 'x'" } };
  if (x.datatype !== 'FP64')
    return { status: 400, body: { error: `input 'x' must be FP64, got ${String(x.datatype)}` } };
  const shape = x.shape as number[];
  const width = m.weights.length;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[1] !== width) {
    return { status: 400, body: { error: `input 'x' must have shape [-1, ${width}]` } };
  }
  const data = (Array.isArray(x.data) ? x.data.flat(Number.POSITIVE_INFINITY) : []) as unknown[];
  if (data.length !== shape[0]! * width || !data.every((v) => typeof v === 'number')) {
    return { status: 400, body: { error: `input 'x' data must hold ${shape[0]! * width} numbers` } };
  }
  if ((data as number[]).some((v) => Math.abs(v) > 1e6))
    return { status: 400, body: { error: 'x values must lie in [-1e6, 1e6]' } };
  const n = shape[0]!;
  const y = Array.from({ length: n }, (_, i) =>
    m.weights.reduce((s, w, j) => s + w * (data[i * width + j] as number), m.bias),
  );
  const all = [
    { name: 'y', datatype: 'FP64', shape: [n], data: y },
    { name: 'positive', datatype: 'BOOL', shape: [n], data: y.map((v) => v > 0) },
  ];
  const wanted = Array.isArray(body.outputs)
    ? (body.outputs as { name?: unknown }[]).map((o) => o.name)
    : undefined;
  const unknown = wanted?.find((w) => !all.some((o) => o.name === w));
  if (unknown !== undefined) return { status: 400, body: { error: `unknown output '${String(unknown)}'` } };
  return {
    status: 200,
    body: {
      model_name: m.name,
      model_version: m.version,
      id: typeof body.id === 'string' ? body.id : 'none',
      outputs: wanted ? all.filter((o) => wanted.includes(o.name)) : all,
    },
  };
}

/** Starts the server on a free local port. */
export async function startOipServer(models: OipServerModel[]): Promise<OipTestServer> {
  const requests: unknown[] = [];
  const route = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/infer)?$/;
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const match = route.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const name = match ? decodeURIComponent(match[1]!) : undefined;
    const model = models.find((m) => m.name === name && (match?.[2] === undefined || match[2] === m.version));
    if (!match || !model) return send(res, 404, { error: `model ${name ?? '?'} not found` });
    if (!match[3])
      return req.method === 'GET' ? send(res, 200, metadata(model)) : send(res, 405, { error: 'use GET' });
    if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
    let text = '';
    for await (const chunk of req) text += chunk;
    let body: { id?: unknown; inputs?: unknown; outputs?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return send(res, 400, { error: 'request body is not JSON' });
    }
    requests.push(body);
    if (model.delayMs) await new Promise((r) => setTimeout(r, model.delayMs));
    if (model.failWith) return send(res, model.failWith, { error: 'model server overloaded' });
    const result = infer(model, body);
    return send(res, result.status, result.body);
  };
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((error: Error) => send(res, 500, { error: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
