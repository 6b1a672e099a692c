// MLflow REST API 2.0 wire conformance: model versions (create, get, update, delete, search, transition-stage,
// get-download-uri, set-tag, delete-tag).
// Sources of the request/response shapes and rules:
// - https://mlflow.org/docs/latest/rest-api.html (Create/Get/Update/Delete ModelVersion, Search ModelVersions,
//   Transition ModelVersion Stage, Get Download URI For ModelVersion Artifacts, Set/Delete Model Version Tag;
//   ModelVersion, ModelVersionStatus, ModelVersionTag)
// - mlflow/protos/model_registry.proto (`version` is a string, int64 timestamps, status enum names, PATCH update,
//   DELETE delete/delete-tag, GET search/get-download-uri) and mlflow/server/handlers.py (required fields,
//   search max_results <= 200000, archive_existing_versions a bool)
// - mlflow/store/model_registry/sqlalchemy_store.py (version numbers are never reused after a delete; a deleted
//   version drops its aliases; archive_existing_versions archives the other versions *in the target stage* and
//   is refused for a stage other than Staging/Production; delete-tag of an absent key is a no-op), summarised in
//   reference/tracking.md §1-2 (version filters `name='m'`, `run_id='…'`, `tags.k='v'`).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  assertInt64,
  expectEmpty,
  expectError,
  expectOk,
  type MlflowCaller,
  mlflowSuites,
  type Query,
  type Reply,
} from './mlflow-harness.js';

interface WireVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  source: string;
  status: string;
  run_id?: string;
  run_link?: string;
  description?: string;
  tags?: { key: string; value: string }[];
  aliases?: string[];
}

/** PATCH and DELETE RPCs carry a JSON body, as MLflow's Python client sends them (`json=` for non-GET). */
function send(mlflow: MlflowCaller, method: 'PATCH' | 'DELETE', path: string, body?: object): Promise<Reply> {
  return mlflow.inject({
    method,
    url: `${mlflow.prefix}${path}`,
    ...(body === undefined ? {} : { payload: body }),
  });
}

async function createModel(mlflow: MlflowCaller, base: string): Promise<string> {
  const name = `${base}-${mlflow.tag}`;
  await mlflow.ok('/registered-models/create', { name });
  return name;
}

async function createVersion(mlflow: MlflowCaller, name: string, extra: object = {}): Promise<WireVersion> {
  const body = await mlflow.ok('/model-versions/create', { name, source: 's3://bucket/models/m', ...extra });
  assert.deepEqual(Object.keys(body), ['model_version']);
  return body.model_version as WireVersion;
}

async function getVersion(mlflow: MlflowCaller, name: string, version: string): Promise<WireVersion> {
  return (await mlflow.read('/model-versions/get', { name, version })).model_version as WireVersion;
}

async function transition(
  mlflow: MlflowCaller,
  name: string,
  version: string,
  stage: string,
  archive = false,
) {
  const body = await mlflow.ok('/model-versions/transition-stage', {
    name,
    version,
    stage,
    archive_existing_versions: archive,
  });
  assert.deepEqual(Object.keys(body), ['model_version']);
  return body.model_version as WireVersion;
}

async function stages(mlflow: MlflowCaller, name: string): Promise<string[]> {
  const body = await mlflow.read('/model-versions/search', {
    filter: `name='${name}'`,
    order_by: 'version_number',
  });
  return ((body.model_versions ?? []) as WireVersion[]).map((v) => `${v.version}:${v.current_stage}`);
}

async function searchVersions(mlflow: MlflowCaller, query: Query): Promise<string[]> {
  const body = await mlflow.read('/model-versions/search', query);
  return ((body.model_versions ?? []) as WireVersion[]).map((v) => `${v.name}/${v.version}`);
}

await mlflowSuites('MLflow model versions', (mlflow) => {
  it('model-versions/create answers {model_version}: version a string, int64 timestamps, READY, stage None', async () => {
    const name = await createModel(mlflow, 'mv-create');
    const runId = await mlflow.run();
    const first = await createVersion(mlflow, name, {
      source: `runs:/${runId}/model`,
      run_id: runId,
      run_link: 'http://tracking.example/#/runs/1',
      description: 'first cut',
      tags: [{ key: 'framework', value: 'onnx' }],
    });
    assert.deepEqual(Object.keys(first).sort(), [
      'creation_timestamp',
      'current_stage',
      'description',
      'last_updated_timestamp',
      'name',
      'run_id',
      'run_link',
      'source',
      'status',
      'tags',
      'version',
    ]);
    assert.equal(first.name, name);
    assert.equal(first.version, '1');
    assertInt64(first.creation_timestamp, 'creation_timestamp');
    assert.equal(first.last_updated_timestamp, first.creation_timestamp);
    assert.equal(first.current_stage, 'None');
    assert.equal(first.status, 'READY');
    assert.equal(first.source, `runs:/${runId}/model`);
    assert.equal(first.run_id, runId);
    assert.deepEqual(first.tags, [{ key: 'framework', value: 'onnx' }]);
    // Nothing optional given: no run_id, run_link, description, tags, aliases, user_id or status_message keys.
    const second = await createVersion(mlflow, name);
    assert.equal(second.version, '2');
    assert.deepEqual(Object.keys(second).sort(), [
      'creation_timestamp',
      'current_stage',
      'last_updated_timestamp',
      'name',
      'source',
      'status',
      'version',
    ]);
    // Registering a version touches the model.
    const model = (await mlflow.read('/registered-models/get', { name })).registered_model as {
      last_updated_timestamp: number;
    };
    assert.equal(model.last_updated_timestamp, second.creation_timestamp);
    // Numbers are never reused, even after the newest version is deleted.
    expectEmpty(await send(mlflow, 'DELETE', '/model-versions/delete', { name, version: '2' }));
    assert.equal((await createVersion(mlflow, name)).version, '3');
  });

  it('model-versions/create: 404 for an unknown model, 400 for missing or mistyped fields', async () => {
    const name = await createModel(mlflow, 'mv-create-bad');
    expectError(
      await mlflow.post('/model-versions/create', { name: `mv-nope-${mlflow.tag}`, source: 's3://b/m' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    for (const body of [
      { source: 's3://b/m' },
      { name },
      { name, source: '' },
      { name, source: ['s3://b/m'] },
      { name, source: 's3://b/m', tags: { framework: 'onnx' } },
      { name, source: 's3://b/m', tags: [{ value: 'no key' }] },
      { name, source: 's3://b/m', run_id: { id: 'r' } },
      { name, source: 's3://b/m', description: false },
    ]) {
      expectError(await mlflow.post('/model-versions/create', body), 400, 'INVALID_PARAMETER_VALUE');
    }
    // Relative path segments and NUL bytes, even percent-encoded, are refused as MLflow's server refuses them.
    for (const source of [
      's3://bucket/models/../../secrets',
      'runs:/0123456789abcdef0123456789abcdef/..%2f..%2fother',
      'mlflow-artifacts:/0/%252E%252E/model',
      '/srv/models/m%00',
    ]) {
      expectError(
        await mlflow.post('/model-versions/create', { name, source }),
        400,
        'INVALID_PARAMETER_VALUE',
        /relative path/,
      );
    }
    // Nothing was registered by the refused requests.
    expectEmpty(await mlflow.post('/registered-models/get-latest-versions', { name }));
    // Dots inside a segment are fine.
    assert.equal(
      (await createVersion(mlflow, name, { source: 's3://bucket/v1..v2/model' })).source,
      's3://bucket/v1..v2/model',
    );
  });

  it('model-versions/get reads name + version; 400 for a missing or non-numeric version, 404 for unknown ones', async () => {
    const name = await createModel(mlflow, 'mv-get');
    const created = await createVersion(mlflow, name, { tags: [{ key: 'k', value: 'v' }] });
    const body = await mlflow.read('/model-versions/get', { name, version: '1' });
    assert.deepEqual(Object.keys(body), ['model_version']);
    assert.deepEqual(body.model_version, created);
    expectError(await mlflow.get('/model-versions/get', { name }), 400, 'INVALID_PARAMETER_VALUE', /version/);
    expectError(
      await mlflow.get('/model-versions/get', { version: '1' }),
      400,
      'INVALID_PARAMETER_VALUE',
      /name/,
    );
    expectError(
      await mlflow.get('/model-versions/get', { name, version: 'one' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.get('/model-versions/get', { name, version: '9' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.get('/model-versions/get', { name: `mv-nope-${mlflow.tag}`, version: '1' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('model-versions/update is a PATCH with a JSON body answering {model_version}', async () => {
    const name = await createModel(mlflow, 'mv-update');
    const created = await createVersion(mlflow, name);
    const body = expectOk(
      await send(mlflow, 'PATCH', '/model-versions/update', { name, version: '1', description: 'retrained' }),
    );
    assert.deepEqual(Object.keys(body), ['model_version']);
    const updated = body.model_version as WireVersion;
    assert.equal(updated.description, 'retrained');
    assert.equal(updated.creation_timestamp, created.creation_timestamp);
    assert.ok(updated.last_updated_timestamp > created.last_updated_timestamp);
    assert.equal((await getVersion(mlflow, name, '1')).description, 'retrained');
    expectError(
      await send(mlflow, 'PATCH', '/model-versions/update', { name, version: '5', description: 'x' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await send(mlflow, 'PATCH', '/model-versions/update', { name, description: 'x' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('model-versions/delete is a DELETE with a JSON body answering {}; the version and its aliases go', async () => {
    const name = await createModel(mlflow, 'mv-delete');
    await createVersion(mlflow, name);
    await createVersion(mlflow, name);
    expectEmpty(await mlflow.post('/registered-models/alias', { name, alias: 'champion', version: '2' }));
    expectEmpty(await send(mlflow, 'DELETE', '/model-versions/delete', { name, version: '2' }));
    expectError(
      await mlflow.get('/model-versions/get', { name, version: '2' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    const model = (await mlflow.read('/registered-models/get', { name })).registered_model as object;
    assert.equal('aliases' in model, false);
    expectError(
      await mlflow.get('/registered-models/alias', { name, alias: 'champion' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    assert.deepEqual(await stages(mlflow, name), ['1:None']);
    expectError(
      await send(mlflow, 'DELETE', '/model-versions/delete', { name, version: '2' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await send(mlflow, 'DELETE', '/model-versions/delete', { name }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('model-versions/transition-stage answers {model_version} with canonical stage names', async () => {
    const name = await createModel(mlflow, 'mv-stage');
    const created = await createVersion(mlflow, name);
    const staged = await transition(mlflow, name, '1', 'staging');
    assert.equal(staged.current_stage, 'Staging');
    assert.ok(staged.last_updated_timestamp > created.last_updated_timestamp);
    assert.equal((await transition(mlflow, name, '1', 'PRODUCTION')).current_stage, 'Production');
    assert.equal((await transition(mlflow, name, '1', 'archived')).current_stage, 'Archived');
    assert.equal((await transition(mlflow, name, '1', 'none')).current_stage, 'None');
    // archive_existing_versions may be left out (MLflow's handler only asserts it is a bool).
    const defaulted = await mlflow.ok('/model-versions/transition-stage', {
      name,
      version: '1',
      stage: 'Staging',
    });
    assert.equal((defaulted.model_version as WireVersion).current_stage, 'Staging');
    for (const body of [
      { name, version: '1', stage: 'Prod', archive_existing_versions: false },
      { name, version: '1', stage: '', archive_existing_versions: false },
      { name, version: '1', archive_existing_versions: false },
      { name, stage: 'Staging', archive_existing_versions: false },
      { name, version: '1', stage: 'Staging', archive_existing_versions: 'yes' },
      { name, version: '1', stage: ['Staging'], archive_existing_versions: false },
    ]) {
      expectError(
        await mlflow.post('/model-versions/transition-stage', body),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    }
    expectError(
      await mlflow.post('/model-versions/transition-stage', {
        name,
        version: '4',
        stage: 'Staging',
        archive_existing_versions: false,
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    assert.equal((await getVersion(mlflow, name, '1')).current_stage, 'Staging');
  });

  it('archive_existing_versions archives the other versions in the target stage only', async () => {
    const name = await createModel(mlflow, 'mv-archive');
    for (let i = 0; i < 4; i++) await createVersion(mlflow, name);
    await transition(mlflow, name, '1', 'Production');
    await transition(mlflow, name, '2', 'Staging');
    // Without the flag two versions may share Production.
    await transition(mlflow, name, '3', 'Production');
    assert.deepEqual(await stages(mlflow, name), ['1:Production', '2:Staging', '3:Production', '4:None']);
    const promoted = await transition(mlflow, name, '4', 'Production', true);
    assert.equal(promoted.current_stage, 'Production');
    assert.deepEqual(await stages(mlflow, name), ['1:Archived', '2:Staging', '3:Archived', '4:Production']);
    // The archived versions were touched at the transition's time.
    assert.equal(
      (await getVersion(mlflow, name, '1')).last_updated_timestamp,
      promoted.last_updated_timestamp,
    );
    // MLflow refuses the flag for a stage other than Staging and Production.
    for (const stage of ['Archived', 'None']) {
      expectError(
        await mlflow.post('/model-versions/transition-stage', {
          name,
          version: '2',
          stage,
          archive_existing_versions: true,
        }),
        400,
        'INVALID_PARAMETER_VALUE',
      );
    }
    assert.deepEqual(await stages(mlflow, name), ['1:Archived', '2:Staging', '3:Archived', '4:Production']);
  });

  it("model-versions/get-download-uri answers exactly {artifact_uri}: a runs:/ source becomes the run's artifact URI", async () => {
    const name = await createModel(mlflow, 'mv-uri');
    const runId = await mlflow.run();
    const run = (await mlflow.read('/runs/get', { run_id: runId })).run as { info: { artifact_uri: string } };
    await createVersion(mlflow, name, { source: `runs:/${runId}/model`, run_id: runId });
    await createVersion(mlflow, name, { source: 's3://bucket/exported/model' });
    await createVersion(mlflow, name, { source: `runs:/${runId}` });
    const uri = async (version: string) => {
      const body = await mlflow.read('/model-versions/get-download-uri', { name, version });
      assert.deepEqual(Object.keys(body), ['artifact_uri']);
      return body.artifact_uri;
    };
    assert.equal(await uri('1'), `${run.info.artifact_uri}/model`);
    assert.equal(await uri('2'), 's3://bucket/exported/model');
    assert.equal(await uri('3'), run.info.artifact_uri);
    expectError(
      await mlflow.get('/model-versions/get-download-uri', { name, version: '9' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.get('/model-versions/get-download-uri', { name }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('model-versions/set-tag overwrites, delete-tag (DELETE) removes; both answer {}', async () => {
    const name = await createModel(mlflow, 'mv-tags');
    await createVersion(mlflow, name);
    expectEmpty(
      await mlflow.post('/model-versions/set-tag', { name, version: '1', key: 'validated', value: 'no' }),
    );
    expectEmpty(
      await mlflow.post('/model-versions/set-tag', { name, version: '1', key: 'validated', value: 'yes' }),
    );
    expectEmpty(
      await mlflow.post('/model-versions/set-tag', { name, version: 1, key: 'owner', value: 'ada' }),
    );
    assert.deepEqual((await getVersion(mlflow, name, '1')).tags, [
      { key: 'owner', value: 'ada' },
      { key: 'validated', value: 'yes' },
    ]);
    expectEmpty(
      await send(mlflow, 'DELETE', '/model-versions/delete-tag', { name, version: '1', key: 'owner' }),
    );
    expectEmpty(
      await send(mlflow, 'DELETE', '/model-versions/delete-tag', { name, version: '1', key: 'validated' }),
    );
    assert.equal('tags' in (await getVersion(mlflow, name, '1')), false);
    // An absent key is a no-op in MLflow's store; an absent version is not.
    expectEmpty(
      await send(mlflow, 'DELETE', '/model-versions/delete-tag', { name, version: '1', key: 'never-set' }),
    );
    expectError(
      await send(mlflow, 'DELETE', '/model-versions/delete-tag', { name, version: '2', key: 'k' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/model-versions/set-tag', { name, version: '2', key: 'k', value: 'v' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    for (const body of [
      { name, version: '1', value: 'v' },
      { name, key: 'k', value: 'v' },
      { name, version: '1', key: { k: 1 }, value: 'v' },
      { name, version: '1', key: 'k', value: 'v'.repeat(5001) },
    ]) {
      expectError(await mlflow.post('/model-versions/set-tag', body), 400, 'INVALID_PARAMETER_VALUE');
    }
  });

  it("model-versions/search (GET) filters by name='m', run_id, tags and LIKE, orders and pages; {} for no match", async () => {
    const alpha = await createModel(mlflow, 'mv-search-alpha');
    const beta = await createModel(mlflow, 'mv-search-beta');
    const runId = await mlflow.run();
    await createVersion(mlflow, alpha, { tags: [{ key: 'validated', value: 'yes' }] });
    await createVersion(mlflow, alpha, { run_id: runId, source: `runs:/${runId}/model` });
    await createVersion(mlflow, alpha);
    await createVersion(mlflow, beta, { run_id: runId, source: `runs:/${runId}/model` });
    await createVersion(mlflow, beta, { tags: [{ key: 'validated', value: 'yes' }] });
    // Versions never updated after creation: MLflow's default (last_updated DESC, name, version DESC) and
    // Osprey's (name, version DESC) agree within one model.
    assert.deepEqual(await searchVersions(mlflow, { filter: `name='${alpha}'` }), [
      `${alpha}/3`,
      `${alpha}/2`,
      `${alpha}/1`,
    ]);
    // requests encodes spaces as '+'.
    assert.deepEqual(await searchVersions(mlflow, { filter: `run_id = '${runId}'` }), [
      `${alpha}/2`,
      `${beta}/1`,
    ]);
    assert.deepEqual(
      await searchVersions(mlflow, {
        filter: `name LIKE 'mv-search-%-${mlflow.tag}' AND tags.validated = 'yes'`,
      }),
      [`${alpha}/1`, `${beta}/2`],
    );
    assert.deepEqual(
      await searchVersions(mlflow, {
        filter: `name LIKE 'mv-search-%-${mlflow.tag}'`,
        order_by: ['name DESC', 'version_number ASC'],
      }),
      [`${beta}/1`, `${beta}/2`, `${alpha}/1`, `${alpha}/2`, `${alpha}/3`],
    );
    const first = await mlflow.read('/model-versions/search', { filter: `name='${alpha}'`, max_results: 2 });
    assert.deepEqual(Object.keys(first).sort(), ['model_versions', 'next_page_token']);
    const second = await mlflow.read('/model-versions/search', {
      filter: `name='${alpha}'`,
      max_results: 2,
      page_token: first.next_page_token as string,
    });
    assert.deepEqual(Object.keys(second), ['model_versions']);
    assert.deepEqual(
      [...(first.model_versions as WireVersion[]), ...(second.model_versions as WireVersion[])].map(
        (v) => v.version,
      ),
      ['3', '2', '1'],
    );
    expectEmpty(
      await mlflow.get('/model-versions/search', { filter: `name='mv-search-none-${mlflow.tag}'` }),
    );
    for (const query of [
      { filter: "name = 'unterminated" },
      { filter: "metrics.rmse = '1'" },
      { filter: `name='${alpha}' OR name='${beta}'` },
      { order_by: 'version_number SIDEWAYS' },
      { max_results: 200_001 },
      { max_results: -1 },
      { page_token: 'bogus' },
    ]) {
      expectError(await mlflow.get('/model-versions/search', query), 400, 'INVALID_PARAMETER_VALUE');
    }
  });

  it('malformed or mistyped bodies on every model-version write are 400 INVALID_PARAMETER_VALUE, never 500', async () => {
    const name = await createModel(mlflow, 'mv-malformed');
    await createVersion(mlflow, name);
    const writes: ['POST' | 'PATCH' | 'DELETE', string][] = [
      ['POST', '/model-versions/create'],
      ['PATCH', '/model-versions/update'],
      ['DELETE', '/model-versions/delete'],
      ['POST', '/model-versions/transition-stage'],
      ['POST', '/model-versions/set-tag'],
      ['DELETE', '/model-versions/delete-tag'],
    ];
    for (const [method, path] of writes) {
      for (const payload of ['{"name": ', '[]', '42', JSON.stringify({ name, version: { n: 1 } })]) {
        const reply = await mlflow.inject({
          method,
          url: `${mlflow.prefix}${path}`,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectError(reply, 400, 'INVALID_PARAMETER_VALUE');
      }
    }
    // A body that is not JSON at all.
    const form = await mlflow.inject({
      method: 'POST',
      url: `${mlflow.prefix}/model-versions/create`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `name=${name}&source=s3://b/m`,
    });
    assert.ok(form.status >= 400 && form.status < 500, `expected a 4xx, got ${form.status}: ${form.text}`);
    assert.deepEqual(await stages(mlflow, name), ['1:None']);
  });
});
