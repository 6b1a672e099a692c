// MLflow REST API 2.0 wire conformance: registered models (create, get, search, legacy list, rename, update,
// delete, get-latest-versions, set-tag, delete-tag, alias set/get/delete).
// Sources of the request/response shapes and rules:
// - https://mlflow.org/docs/latest/rest-api.html (Create/Get/Search/Rename/Update/Delete RegisteredModel,
//   Get Latest ModelVersions, Set/Delete Registered Model Tag, Set/Delete Registered Model Alias, Get Model
//   Version by Alias; RegisteredModel, RegisteredModelTag, RegisteredModelAlias, ModelVersion)
// - mlflow/protos/model_registry.proto (methods per RPC: PATCH update, DELETE delete/delete-tag/alias, POST+GET
//   get-latest-versions; `version` is a string; int64 timestamps) and mlflow/server/handlers.py (required fields,
//   max_results <= 1000 for registered models)
// - mlflow/store/model_registry/sqlalchemy_store.py (delete-tag and delete-alias of an absent key are no-ops;
//   rename carries the versions) and mlflow/utils/validation.py (alias rules: ^[\w\-]*$, `latest` and v<digits>
//   reserved), summarised in reference/tracking.md §1-2 (registry filters `name LIKE '%x%'`, `tags.k = 'v'`).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  assertInt64,
  expectEmpty,
  expectError,
  expectOk,
  type MlflowCaller,
  mlflowSuites,
  type Reply,
} from './mlflow-harness.js';

interface WireVersion {
  name: string;
  version: string;
  current_stage: string;
  aliases?: string[];
  [field: string]: unknown;
}

interface WireModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  latest_versions?: WireVersion[];
  tags?: { key: string; value: string }[];
  aliases?: { alias: string; version: string }[];
}

/** PATCH and DELETE RPCs carry a JSON body, as MLflow's Python client sends them (`json=` for non-GET). */
function send(mlflow: MlflowCaller, method: 'PATCH' | 'DELETE', path: string, body?: object): Promise<Reply> {
  return mlflow.inject({
    method,
    url: `${mlflow.prefix}${path}`,
    ...(body === undefined ? {} : { payload: body }),
  });
}

async function createModel(mlflow: MlflowCaller, base: string, extra: object = {}): Promise<WireModel> {
  const body = await mlflow.ok('/registered-models/create', { name: `${base}-${mlflow.tag}`, ...extra });
  return body.registered_model as WireModel;
}

async function getModel(mlflow: MlflowCaller, name: string): Promise<WireModel> {
  return (await mlflow.read('/registered-models/get', { name })).registered_model as WireModel;
}

async function createVersion(mlflow: MlflowCaller, name: string): Promise<WireVersion> {
  const body = await mlflow.ok('/model-versions/create', { name, source: 's3://bucket/models/m' });
  return body.model_version as WireVersion;
}

async function transition(mlflow: MlflowCaller, name: string, version: string, stage: string) {
  await mlflow.ok('/model-versions/transition-stage', {
    name,
    version,
    stage,
    archive_existing_versions: false,
  });
}

const versionsOf = (list: WireVersion[] | undefined) =>
  (list ?? []).map((v) => `${v.current_stage}:${v.version}`).sort();

async function searchNames(mlflow: MlflowCaller, query: Record<string, string | number | string[]>) {
  const body = await mlflow.read('/registered-models/search', query);
  return ((body.registered_models ?? []) as WireModel[]).map((m) => m.name);
}

await mlflowSuites('MLflow registered models', (mlflow) => {
  it('registered-models/create answers {registered_model} with int64 timestamps and omits empty fields', async () => {
    const bare = await createModel(mlflow, 'rm-bare');
    assert.deepEqual(Object.keys(bare).sort(), ['creation_timestamp', 'last_updated_timestamp', 'name']);
    assertInt64(bare.creation_timestamp, 'creation_timestamp');
    assert.equal(bare.last_updated_timestamp, bare.creation_timestamp);
    const full = await createModel(mlflow, 'rm-full', {
      description: 'churn model',
      tags: [
        { key: 'team', value: 'risk' },
        { key: 'empty', value: '' },
      ],
      unknown_field: 'ignored as ParseDict(ignore_unknown_fields=True) does',
    });
    assert.equal(full.name, `rm-full-${mlflow.tag}`);
    assert.equal(full.description, 'churn model');
    assert.deepEqual(
      [...(full.tags ?? [])].sort((a, b) => a.key.localeCompare(b.key)),
      [
        { key: 'empty', value: '' },
        { key: 'team', value: 'risk' },
      ],
    );
    assert.equal('latest_versions' in full || 'aliases' in full, false);
  });

  it('registered-models/create: a taken name is 400 RESOURCE_ALREADY_EXISTS, a missing or mistyped one 400', async () => {
    const model = await createModel(mlflow, 'rm-dup');
    expectError(
      await mlflow.post('/registered-models/create', { name: model.name }),
      400,
      'RESOURCE_ALREADY_EXISTS',
      /already exists/,
    );
    for (const body of [
      {},
      { name: '' },
      { name: ['a'] },
      { name: { a: 1 } },
      { name: true },
      { name: `rm-typed-${mlflow.tag}`, tags: 'team=risk' },
      { name: `rm-typed-${mlflow.tag}`, tags: [{ value: 'no key' }] },
      { name: `rm-typed-${mlflow.tag}`, tags: [{ key: 'k', value: 'v'.repeat(5001) }] },
      { name: `rm-typed-${mlflow.tag}`, description: { text: 'x' } },
    ]) {
      expectError(await mlflow.post('/registered-models/create', body), 400, 'INVALID_PARAMETER_VALUE');
    }
    // None of the refused requests created anything.
    expectError(
      await mlflow.get('/registered-models/get', { name: `rm-typed-${mlflow.tag}` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('registered-models/get reads by name; 400 without a name, 404 for an unknown one', async () => {
    const created = await createModel(mlflow, 'rm-get', { description: 'd' });
    const body = await mlflow.read('/registered-models/get', { name: created.name });
    assert.deepEqual(Object.keys(body), ['registered_model']);
    assert.deepEqual(body.registered_model, created);
    expectError(await mlflow.get('/registered-models/get'), 400, 'INVALID_PARAMETER_VALUE', /name/);
    expectError(
      await mlflow.get('/registered-models/get', { name: `rm-nope-${mlflow.tag}` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('registered-models/update is a PATCH with a JSON body answering {registered_model}', async () => {
    const created = await createModel(mlflow, 'rm-update');
    const body = expectOk(
      await send(mlflow, 'PATCH', '/registered-models/update', { name: created.name, description: 'v2' }),
    );
    assert.deepEqual(Object.keys(body), ['registered_model']);
    const updated = body.registered_model as WireModel;
    assert.equal(updated.description, 'v2');
    assert.equal(updated.creation_timestamp, created.creation_timestamp);
    assert.ok(updated.last_updated_timestamp > created.last_updated_timestamp);
    assert.equal((await getModel(mlflow, created.name)).description, 'v2');
    expectError(
      await send(mlflow, 'PATCH', '/registered-models/update', {
        name: `rm-nope-${mlflow.tag}`,
        description: 'x',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await send(mlflow, 'PATCH', '/registered-models/update', { description: 'x' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('registered-models/rename answers {registered_model}; versions follow; a taken name is RESOURCE_ALREADY_EXISTS', async () => {
    const created = await createModel(mlflow, 'rm-rename');
    await createVersion(mlflow, created.name);
    const taken = await createModel(mlflow, 'rm-rename-taken');
    const newName = `rm-renamed-${mlflow.tag}`;
    const body = await mlflow.ok('/registered-models/rename', { name: created.name, new_name: newName });
    assert.deepEqual(Object.keys(body), ['registered_model']);
    const renamed = body.registered_model as WireModel;
    assert.equal(renamed.name, newName);
    assert.deepEqual(versionsOf(renamed.latest_versions), ['None:1']);
    assert.equal(renamed.latest_versions?.[0]?.name, newName);
    expectError(
      await mlflow.get('/registered-models/get', { name: created.name }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    const version = await mlflow.read('/model-versions/get', { name: newName, version: '1' });
    assert.equal((version.model_version as WireVersion).name, newName);
    expectError(
      await mlflow.post('/registered-models/rename', { name: newName, new_name: taken.name }),
      400,
      'RESOURCE_ALREADY_EXISTS',
    );
    expectError(
      await mlflow.post('/registered-models/rename', { name: newName }),
      400,
      'INVALID_PARAMETER_VALUE',
      /new_name/,
    );
    expectError(
      await mlflow.post('/registered-models/rename', { name: `rm-nope-${mlflow.tag}`, new_name: 'x' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('registered-models/delete is a DELETE with a JSON body answering exactly {}', async () => {
    const created = await createModel(mlflow, 'rm-delete');
    await createVersion(mlflow, created.name);
    expectEmpty(await send(mlflow, 'DELETE', '/registered-models/delete', { name: created.name }));
    expectError(
      await mlflow.get('/registered-models/get', { name: created.name }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.get('/model-versions/get', { name: created.name, version: '1' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await send(mlflow, 'DELETE', '/registered-models/delete', { name: created.name }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(await send(mlflow, 'DELETE', '/registered-models/delete'), 400, 'INVALID_PARAMETER_VALUE');
    // The name is free again.
    await createModel(mlflow, 'rm-delete');
  });

  it('registered-models/set-tag overwrites, delete-tag (DELETE) removes; both answer {}', async () => {
    const { name } = await createModel(mlflow, 'rm-tags');
    expectEmpty(await mlflow.post('/registered-models/set-tag', { name, key: 'owner', value: 'ada' }));
    expectEmpty(await mlflow.post('/registered-models/set-tag', { name, key: 'owner', value: 'grace' }));
    expectEmpty(await mlflow.post('/registered-models/set-tag', { name, key: 'tier', value: 'gold' }));
    assert.deepEqual((await getModel(mlflow, name)).tags, [
      { key: 'owner', value: 'grace' },
      { key: 'tier', value: 'gold' },
    ]);
    expectEmpty(await send(mlflow, 'DELETE', '/registered-models/delete-tag', { name, key: 'owner' }));
    expectEmpty(await send(mlflow, 'DELETE', '/registered-models/delete-tag', { name, key: 'tier' }));
    assert.equal('tags' in (await getModel(mlflow, name)), false);
    // MLflow's store deletes an absent tag as a no-op (the model itself must exist).
    expectEmpty(await send(mlflow, 'DELETE', '/registered-models/delete-tag', { name, key: 'never-set' }));
    expectError(
      await send(mlflow, 'DELETE', '/registered-models/delete-tag', {
        name: `rm-nope-${mlflow.tag}`,
        key: 'k',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/registered-models/set-tag', {
        name: `rm-nope-${mlflow.tag}`,
        key: 'k',
        value: 'v',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    for (const body of [
      { name, value: 'v' },
      { name, key: ['k'], value: 'v' },
      { key: 'k', value: 'v' },
    ]) {
      expectError(await mlflow.post('/registered-models/set-tag', body), 400, 'INVALID_PARAMETER_VALUE');
    }
    expectError(
      await mlflow.post('/registered-models/set-tag', { name, key: 'k', value: 'v'.repeat(5001) }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('registered-models/alias: POST sets and moves, GET answers {model_version}, DELETE removes; aliases on both entities', async () => {
    const { name } = await createModel(mlflow, 'rm-alias');
    await createVersion(mlflow, name);
    await createVersion(mlflow, name);
    expectEmpty(await mlflow.post('/registered-models/alias', { name, alias: 'champion', version: '1' }));
    // A JSON number for the string field `version` is read as its decimal string.
    expectEmpty(await mlflow.post('/registered-models/alias', { name, alias: 'challenger', version: 2 }));
    const model = await getModel(mlflow, name);
    assert.deepEqual(model.aliases, [
      { alias: 'challenger', version: '2' },
      { alias: 'champion', version: '1' },
    ]);
    const byAlias = await mlflow.read('/registered-models/alias', { name, alias: 'champion' });
    assert.deepEqual(Object.keys(byAlias), ['model_version']);
    const champion = byAlias.model_version as WireVersion;
    assert.equal(champion.version, '1');
    assert.deepEqual(champion.aliases, ['champion']);
    // Moving an alias re-points it; a version may carry several aliases.
    expectEmpty(await mlflow.post('/registered-models/alias', { name, alias: 'champion', version: '2' }));
    const moved = (await mlflow.read('/registered-models/alias', { name, alias: 'champion' }))
      .model_version as WireVersion;
    assert.equal(moved.version, '2');
    assert.deepEqual([...(moved.aliases ?? [])].sort(), ['challenger', 'champion']);
    const v1 = (await mlflow.read('/model-versions/get', { name, version: '1' }))
      .model_version as WireVersion;
    assert.equal('aliases' in v1, false);

    expectEmpty(await send(mlflow, 'DELETE', '/registered-models/alias', { name, alias: 'champion' }));
    assert.deepEqual((await getModel(mlflow, name)).aliases, [{ alias: 'challenger', version: '2' }]);
    // Osprey answers 404 for an alias that points nowhere (MLflow's SQL store says 400 INVALID_PARAMETER_VALUE
    // "Registered model alias champion not found."; both are errors the client raises as RestException).
    expectError(
      await mlflow.get('/registered-models/alias', { name, alias: 'champion' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    // Deleting an alias that is not set is a no-op in MLflow's store.
    expectEmpty(await send(mlflow, 'DELETE', '/registered-models/alias', { name, alias: 'champion' }));
  });

  it('registered-models/alias refuses reserved and malformed aliases with 400 and unknown targets with 404', async () => {
    const { name } = await createModel(mlflow, 'rm-alias-rules');
    await createVersion(mlflow, name);
    for (const alias of [
      'latest',
      'LATEST',
      'Latest',
      'v1',
      'V12',
      'bad alias',
      'a/b',
      'a.b',
      'x'.repeat(256),
    ]) {
      expectError(
        await mlflow.post('/registered-models/alias', { name, alias, version: '1' }),
        400,
        'INVALID_PARAMETER_VALUE',
        undefined,
      );
    }
    // Allowed by ^[\w\-]*$ and not reserved.
    for (const alias of ['prod-2024', 'v1a', 'version1', 'x'.repeat(255)]) {
      expectEmpty(await mlflow.post('/registered-models/alias', { name, alias, version: '1' }));
    }
    for (const body of [
      { name, version: '1' },
      { name, alias: 'ok' },
      { name, alias: 'ok', version: 'one' },
      { alias: 'ok', version: '1' },
      { name, alias: ['ok'], version: '1' },
    ]) {
      expectError(await mlflow.post('/registered-models/alias', body), 400, 'INVALID_PARAMETER_VALUE');
    }
    expectError(
      await mlflow.post('/registered-models/alias', { name, alias: 'ok', version: '7' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/registered-models/alias', {
        name: `rm-nope-${mlflow.tag}`,
        alias: 'ok',
        version: '1',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await send(mlflow, 'DELETE', '/registered-models/alias', {
        name: `rm-nope-${mlflow.tag}`,
        alias: 'ok',
      }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(await mlflow.get('/registered-models/alias', { name }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('registered-models/get-latest-versions (POST and GET) answers one version per stage, canonical stage names', async () => {
    const { name } = await createModel(mlflow, 'rm-latest');
    expectEmpty(await mlflow.post('/registered-models/get-latest-versions', { name }));
    for (let i = 0; i < 5; i++) await createVersion(mlflow, name);
    await transition(mlflow, name, '1', 'Production');
    await transition(mlflow, name, '2', 'staging');
    await transition(mlflow, name, '3', 'PRODUCTION');
    await transition(mlflow, name, '4', 'Archived');
    const all = await mlflow.ok('/registered-models/get-latest-versions', { name });
    assert.deepEqual(Object.keys(all), ['model_versions']);
    assert.deepEqual(versionsOf(all.model_versions as WireVersion[]), [
      'Archived:4',
      'None:5',
      'Production:3',
      'Staging:2',
    ]);
    // The registered model carries the same latest_versions.
    assert.deepEqual(versionsOf((await getModel(mlflow, name)).latest_versions), [
      'Archived:4',
      'None:5',
      'Production:3',
      'Staging:2',
    ]);
    const production = await mlflow.ok('/registered-models/get-latest-versions', {
      name,
      stages: ['Production'],
    });
    assert.deepEqual(versionsOf(production.model_versions as WireVersion[]), ['Production:3']);
    // GET form: stages as repeated query keys, matched case-insensitively.
    const viaGet = await mlflow.read('/registered-models/get-latest-versions', {
      name,
      stages: ['production', 'staging'],
    });
    assert.deepEqual(versionsOf(viaGet.model_versions as WireVersion[]), ['Production:3', 'Staging:2']);
    expectError(
      await mlflow.post('/registered-models/get-latest-versions', { name, stages: ['Prod'] }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.post('/registered-models/get-latest-versions', { name, stages: 'Production,Staging' }),
      400,
      'INVALID_PARAMETER_VALUE',
    );
    expectError(
      await mlflow.get('/registered-models/get-latest-versions', { name: `rm-nope-${mlflow.tag}` }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    expectError(
      await mlflow.post('/registered-models/get-latest-versions', {}),
      400,
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('registered-models/search filters (LIKE, ILIKE, =, tags), orders and pages; {} when nothing matches', async () => {
    const stem = `rm-search-${mlflow.tag}`;
    for (const [suffix, team] of [
      ['gamma', 'risk'],
      ['alpha', 'risk'],
      ['beta', 'growth'],
    ] as const) {
      await mlflow.ok('/registered-models/create', {
        name: `${stem}-${suffix}`,
        tags: [{ key: 'team', value: team }],
      });
    }
    const names = ['alpha', 'beta', 'gamma'].map((s) => `${stem}-${s}`);
    assert.deepEqual(await searchNames(mlflow, { filter: `name LIKE '%${stem}%'` }), names);
    assert.deepEqual(await searchNames(mlflow, { filter: `name ILIKE '%${stem.toUpperCase()}%'` }), names);
    assert.deepEqual(await searchNames(mlflow, { filter: `name='${stem}-beta'` }), [`${stem}-beta`]);
    assert.deepEqual(await searchNames(mlflow, { filter: `name LIKE '${stem}%' AND tags.team = 'risk'` }), [
      names[0],
      names[2],
    ]);
    assert.deepEqual(
      await searchNames(mlflow, { filter: `name LIKE '${stem}%'`, order_by: ['name DESC'] }),
      [...names].reverse(),
    );
    // Creation order was gamma, alpha, beta.
    assert.deepEqual(
      await searchNames(mlflow, {
        filter: `name LIKE '${stem}%'`,
        order_by: ['last_updated_timestamp DESC'],
      }),
      [names[1], names[0], names[2]],
    );
    const first = await mlflow.read('/registered-models/search', {
      filter: `name LIKE '${stem}%'`,
      max_results: 2,
    });
    assert.deepEqual(Object.keys(first).sort(), ['next_page_token', 'registered_models']);
    assert.equal(typeof first.next_page_token, 'string');
    const second = await mlflow.read('/registered-models/search', {
      filter: `name LIKE '${stem}%'`,
      max_results: 2,
      page_token: first.next_page_token as string,
    });
    assert.deepEqual(Object.keys(second), ['registered_models']);
    assert.deepEqual(
      [...(first.registered_models as WireModel[]), ...(second.registered_models as WireModel[])].map(
        (m) => m.name,
      ),
      names,
    );
    expectEmpty(await mlflow.get('/registered-models/search', { filter: `name = '${stem}-none'` }));
    for (const query of [
      { filter: 'name LIKE' },
      { filter: "metrics.a = 'x'" },
      { filter: "run_id = 'x'" },
      { order_by: ['name SIDEWAYS'] },
      { order_by: ['version_number'] },
      { max_results: 1001 },
      { max_results: 0 },
      { max_results: 'ten' },
      { page_token: 'bogus' },
    ]) {
      expectError(await mlflow.get('/registered-models/search', query), 400, 'INVALID_PARAMETER_VALUE');
    }
  });

  it('registered-models/list (MLflow 1.x) pages all models with max_results and page_token', async () => {
    await createModel(mlflow, 'rm-list-a');
    await createModel(mlflow, 'rm-list-b');
    const first = await mlflow.read('/registered-models/list', { max_results: 1 });
    assert.equal((first.registered_models as WireModel[]).length, 1);
    assert.equal(typeof first.next_page_token, 'string');
    const second = await mlflow.read('/registered-models/list', {
      max_results: 1,
      page_token: first.next_page_token as string,
    });
    assert.equal((second.registered_models as WireModel[]).length, 1);
    assert.notEqual(
      (second.registered_models as WireModel[])[0]?.name,
      (first.registered_models as WireModel[])[0]?.name,
    );
  });

  it('malformed or mistyped bodies on every registered-model write are 400 INVALID_PARAMETER_VALUE, never 500', async () => {
    const { name } = await createModel(mlflow, 'rm-malformed');
    const writes: ['POST' | 'PATCH' | 'DELETE', string][] = [
      ['POST', '/registered-models/create'],
      ['POST', '/registered-models/rename'],
      ['PATCH', '/registered-models/update'],
      ['DELETE', '/registered-models/delete'],
      ['POST', '/registered-models/get-latest-versions'],
      ['POST', '/registered-models/set-tag'],
      ['DELETE', '/registered-models/delete-tag'],
      ['POST', '/registered-models/alias'],
      ['DELETE', '/registered-models/alias'],
    ];
    for (const [method, path] of writes) {
      for (const payload of ['{', '[1, 2]', '"name"', 'null x', JSON.stringify({ name: { nested: name } })]) {
        const reply = await mlflow.inject({
          method,
          url: `${mlflow.prefix}${path}`,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectError(reply, 400, 'INVALID_PARAMETER_VALUE', undefined);
      }
    }
    // The model survived every refused request.
    assert.equal((await getModel(mlflow, name)).name, name);
  });
});
