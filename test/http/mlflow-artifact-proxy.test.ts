// MLflow artifact proxy conformance (mlflow/protos/mlflow_artifacts.proto, served by `mlflow server
// --serve-artifacts`; reference/tracking.md §1 "Artifact proxy"): PUT/GET/DELETE raw bytes under
// /api/2.0/mlflow-artifacts/artifacts/<path> (and the /ajax-api twin), GET .../artifacts?path= listing
// basenames with is_dir and file_size, a run-shaped path <exp>/<run_id>/artifacts/<p> landing in the run's
// artifacts (runs artifacts/list, https://mlflow.org/docs/latest/rest-api.html "List Artifacts"), and path
// traversal refused with 400 over a real socket, where the path reaches the server exactly as sent.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import {
  expectEmpty,
  expectError,
  expectOk,
  type MlflowCaller,
  mlflowSuites,
  type Reply,
} from './mlflow-harness.js';

const artifactsPrefix = (mlflow: MlflowCaller) =>
  mlflow.tag === 'ajax' ? '/ajax-api/2.0/mlflow-artifacts' : '/api/2.0/mlflow-artifacts';

function put(mlflow: MlflowCaller, path: string, bytes: Buffer): Promise<Reply> {
  return mlflow.inject({
    method: 'PUT',
    url: `${artifactsPrefix(mlflow)}/artifacts/${path}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
}

async function download(mlflow: MlflowCaller, path: string) {
  return mlflow.inject({ method: 'GET', url: `${artifactsPrefix(mlflow)}/artifacts/${path}` });
}

async function listProxy(mlflow: MlflowCaller, path: string) {
  return mlflow.inject({
    method: 'GET',
    url: `${artifactsPrefix(mlflow)}/artifacts?path=${encodeURIComponent(path)}`,
  });
}

/** Sends a request with the path byte-for-byte as given (no URL normalisation, unlike fetch or inject). */
function rawRequest(
  base: string,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string | number> = body
    ? { 'content-type': 'application/octet-stream', 'content-length': body.length }
    : {},
) {
  const url = new URL(base);
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = { raw: text };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every file name under `dir`, recursively. */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(entry.parentPath, entry.name)) : [entry.name],
  );
}

await mlflowSuites('MLflow artifact proxy', (mlflow) => {
  it('PUT stores raw bytes, GET returns them, ?path= lists basenames, DELETE removes', async () => {
    const bytes = Buffer.concat([Buffer.from([0, 1, 2, 255, 254]), randomBytes(4096)]);
    const base = `proxy-${mlflow.tag}`;
    expectEmpty(await put(mlflow, `${base}/dir/data.bin`, bytes));
    expectEmpty(await put(mlflow, `${base}/dir/sub/nested.txt`, Buffer.from('nested')));
    expectEmpty(await put(mlflow, `${base}/top.txt`, Buffer.from('top')));
    const got = await mlflow.inject({
      method: 'GET',
      url: `${artifactsPrefix(mlflow)}/artifacts/${base}/dir/data.bin`,
    });
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'application/octet-stream');
    assert.equal(Number(got.headers['content-length']), bytes.length);
    const raw = await mlflow.baseUrl();
    const viaSocket = await fetch(`${raw}${artifactsPrefix(mlflow)}/artifacts/${base}/dir/data.bin`);
    assert.deepEqual(Buffer.from(await viaSocket.arrayBuffer()), bytes);

    const dir = expectOk(await listProxy(mlflow, `${base}/dir`));
    assert.deepEqual(dir, {
      files: [
        { path: 'sub', is_dir: true },
        { path: 'data.bin', is_dir: false, file_size: bytes.length },
      ],
    });
    const top = expectOk(await listProxy(mlflow, base));
    assert.deepEqual(top, {
      files: [
        { path: 'dir', is_dir: true },
        { path: 'top.txt', is_dir: false, file_size: 3 },
      ],
    });
    expectEmpty(await listProxy(mlflow, `${base}/nothing-here`));

    // Overwrite in place.
    expectEmpty(await put(mlflow, `${base}/top.txt`, Buffer.from('top v2')));
    assert.equal((await download(mlflow, `${base}/top.txt`)).text, 'top v2');

    // DELETE answers {} and is happy to carry a JSON body, as MLflow's clients send one on DELETE.
    const deleted = await mlflow.inject({
      method: 'DELETE',
      url: `${artifactsPrefix(mlflow)}/artifacts/${base}/dir/data.bin`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ path: `${base}/dir/data.bin` }),
    });
    expectEmpty(deleted);
    expectError(await download(mlflow, `${base}/dir/data.bin`), 404, 'RESOURCE_DOES_NOT_EXIST');
    // Deleting a directory removes what is under it.
    expectEmpty(
      await mlflow.inject({ method: 'DELETE', url: `${artifactsPrefix(mlflow)}/artifacts/${base}/dir` }),
    );
    expectError(await download(mlflow, `${base}/dir/sub/nested.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(
      await mlflow.inject({ method: 'DELETE', url: `${artifactsPrefix(mlflow)}/artifacts/${base}/dir` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('a run-shaped path <exp>/<run_id>/artifacts/<p> lands in that run (runs artifacts/list, get-artifact)', async () => {
    const experimentId = await mlflow.experiment('proxy-run');
    const runId = await mlflow.run(experimentId);
    const run = (await mlflow.read('/runs/get', { run_id: runId })).run as { info: { artifact_uri: string } };
    assert.equal(run.info.artifact_uri, `mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
    const mlmodel = Buffer.from('artifact_path: model\nflavors: {}\n');
    // The client maps mlflow-artifacts:/<exp>/<run>/artifacts/<p> to this URL.
    expectEmpty(await put(mlflow, `${experimentId}/${runId}/artifacts/model/MLmodel`, mlmodel));
    expectEmpty(await put(mlflow, `${experimentId}/${runId}/artifacts/metrics.json`, Buffer.from('{}')));

    const root = await mlflow.read('/artifacts/list', { run_id: runId });
    assert.deepEqual(root, {
      root_uri: run.info.artifact_uri,
      files: [
        { path: 'model', is_dir: true },
        { path: 'metrics.json', is_dir: false, file_size: 2 },
      ],
    });
    // Runs' ListArtifacts reports paths relative to the run's root, not basenames.
    const model = await mlflow.read('/artifacts/list', { run_id: runId, path: 'model' });
    assert.deepEqual(model.files, [{ path: 'model/MLmodel', is_dir: false, file_size: mlmodel.length }]);
    // The proxy's own listing of the same directory gives basenames.
    const proxied = expectOk(await listProxy(mlflow, `${experimentId}/${runId}/artifacts/model`));
    assert.deepEqual(proxied.files, [{ path: 'MLmodel', is_dir: false, file_size: mlmodel.length }]);
    const viaUi = await mlflow.inject({
      method: 'GET',
      url: `/get-artifact?path=model/MLmodel&run_uuid=${runId}`,
    });
    assert.equal(viaUi.status, 200);
    assert.equal(viaUi.text, mlmodel.toString());
  });

  it("a run-shaped path under another experiment's id is not that run's tree (as in MLflow's layout)", async () => {
    const experimentId = await mlflow.experiment('proxy-owner');
    const otherId = await mlflow.experiment('proxy-other');
    const runId = await mlflow.run(experimentId);
    expectEmpty(await put(mlflow, `${otherId}/${runId}/artifacts/stray.txt`, Buffer.from('stray')));
    const ghost = '0123456789abcdef0123456789abcdef';
    expectEmpty(await put(mlflow, `${experimentId}/${ghost}/artifacts/ghost.txt`, Buffer.from('ghost')));
    // MLflow stores these under <root>/<other>/<run>/artifacts, which is not the run's artifact_uri.
    const listed = await mlflow.read('/artifacts/list', { run_id: runId });
    assert.equal('files' in listed, false, JSON.stringify(listed));
    assert.equal((await download(mlflow, `${otherId}/${runId}/artifacts/stray.txt`)).text, 'stray');
    const proxied = expectOk(await listProxy(mlflow, `${otherId}/${runId}/artifacts`));
    assert.deepEqual(proxied.files, [{ path: 'stray.txt', is_dir: false, file_size: 5 }]);
    assert.equal((await download(mlflow, `${experimentId}/${ghost}/artifacts/ghost.txt`)).text, 'ghost');
  });

  it('refuses traversal with 400 over a real socket, never a 500, and stores nothing anywhere', async () => {
    const base = await mlflow.baseUrl();
    const nonce = randomBytes(6).toString('hex');
    const name = `escape-${nonce}`;
    const payload = Buffer.from(`attack payload ${nonce}`);
    const digest = createHash('sha256').update(payload).digest('hex');
    const attacks = [
      `../../${name}`,
      `a/../../${name}`,
      `%2e%2e/%2e%2e/${name}`,
      `%2E%2E%2F%2E%2E%2F${name}`,
      `a%2F..%2F..%2F${name}`,
      `%2Ftmp%2F${name}`,
      `/tmp/${name}`,
      `..%5C..%5C${name}`,
      `a/./${name}`,
      `C:%5C${name}`,
      `a%00/${name}`,
    ];
    const prefix = `${artifactsPrefix(mlflow)}/artifacts`;
    for (const attack of attacks) {
      for (const method of ['PUT', 'GET', 'DELETE']) {
        const reply = await rawRequest(
          base,
          method,
          `${prefix}/${attack}`,
          method === 'PUT' ? payload : undefined,
        );
        const what = `${method} ${prefix}/${attack} → ${reply.status} ${JSON.stringify(reply.json)}`;
        assert.ok(reply.status < 500, what);
        assert.equal(reply.status, 400, what);
        assert.equal(reply.json.error_code, 'INVALID_PARAMETER_VALUE', what);
      }
      const listed = await rawRequest(base, 'GET', `${prefix}?path=${attack}`);
      assert.equal(
        listed.status,
        400,
        `list ?path=${attack} → ${listed.status} ${JSON.stringify(listed.json)}`,
      );
    }
    // Also through a run-shaped path: the part after artifacts/ is checked the same way.
    const runId = await mlflow.run();
    const runAttack = await rawRequest(
      base,
      'PUT',
      `${prefix}/0/${runId}/artifacts/%2e%2e/%2e%2e/${name}`,
      payload,
    );
    assert.equal(runAttack.status, 400);

    // Refused before any byte was stored: the payload's blob does not exist, and no file by that name
    // appeared in the store, the temporary directory, the working directory or the filesystem root.
    assert.equal(await mlflow.osprey().blobs.head(digest), undefined);
    assert.equal(walk(mlflow.osprey().config.home).includes(name), false);
    for (const dir of [tmpdir(), process.cwd(), '/', '/tmp'])
      assert.equal(existsSync(join(dir, name)), false);
  });

  it('accepts uploads as MLflow clients send them: no content type, chunked, or empty', async () => {
    const base = await mlflow.baseUrl();
    const prefix = `${artifactsPrefix(mlflow)}/artifacts/uploads-${mlflow.tag}`;
    const bytes = Buffer.from('python requests.put(data=f) sends no content type');
    const plain = await rawRequest(base, 'PUT', `${prefix}/plain.txt`, bytes, {
      'content-length': bytes.length,
    });
    assert.deepEqual(plain, { status: 200, json: {} });
    const chunked = await rawRequest(base, 'PUT', `${prefix}/chunked.txt`, bytes, {
      'transfer-encoding': 'chunked',
    });
    assert.deepEqual(chunked, { status: 200, json: {} });
    const empty = await rawRequest(base, 'PUT', `${prefix}/empty.txt`, undefined, { 'content-length': 0 });
    assert.deepEqual(empty, { status: 200, json: {} });
    assert.equal((await download(mlflow, `uploads-${mlflow.tag}/chunked.txt`)).text, bytes.toString());
    const listed = expectOk(await listProxy(mlflow, `uploads-${mlflow.tag}`));
    assert.deepEqual(listed.files, [
      { path: 'chunked.txt', is_dir: false, file_size: bytes.length },
      { path: 'empty.txt', is_dir: false, file_size: 0 },
      { path: 'plain.txt', is_dir: false, file_size: bytes.length },
    ]);
  });

  it('double-encoded dots are a literal file name, decoded exactly once', async () => {
    const path = `literal-${mlflow.tag}/%252e%252e/file.txt`;
    expectEmpty(await put(mlflow, path, Buffer.from('literal')));
    const listed = expectOk(await listProxy(mlflow, `literal-${mlflow.tag}`));
    assert.deepEqual(listed.files, [{ path: '%2e%2e', is_dir: true }]);
    assert.equal((await download(mlflow, path)).text, 'literal');
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for a missing file and ENDPOINT_NOT_FOUND for other verbs', async () => {
    expectError(await download(mlflow, `missing-${mlflow.tag}/x.bin`), 404, 'RESOURCE_DOES_NOT_EXIST');
    const post = await mlflow.inject({
      method: 'POST',
      url: `${artifactsPrefix(mlflow)}/artifacts/x`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expectError(post, 404, 'ENDPOINT_NOT_FOUND');
    expectError(
      await mlflow.inject({ method: 'POST', url: `${artifactsPrefix(mlflow)}/mpu/create/x` }),
      404,
      'ENDPOINT_NOT_FOUND',
    );
  });
});
