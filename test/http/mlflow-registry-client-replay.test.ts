// Black-box replay of MLflow's Python client against the registry RPCs: the exact HTTP requests that
// `mlflow.MlflowClient` sends through its model-registry RestStore, and the checks that client applies to the
// replies. Sources (mlflow/mlflow):
// - mlflow/store/model_registry/rest_store.py: each call builds its request as
//   `message_to_json(<Request proto>(...))` and sends it with `_call_endpoint` to the RPC's first endpoint in
//   mlflow/protos/model_registry.proto (get_latest_versions tries every endpoint in order).
// - mlflow/utils/proto_json_utils.py `message_to_json`: proto field names, set fields only, in field-number order,
//   int64 as JSON numbers.
// - mlflow/utils/rest_utils.py `call_endpoint`: the JSON text is loaded back into a dict and sent as `params=` for
//   GET (requests' urlencode: repeated keys, spaces as '+') and `json=` for every other method (requests'
//   json.dumps: separators ", " and ": ", ASCII only, Content-Type application/json); `verify_rest_response`
//   wants status 200 and a JSON object; `parse_dict` = `ParseDict(ignore_unknown_fields=True)` into the response
//   proto. Statuses 408/429/500/502/503/504 are retried (mlflow/utils/request_utils.py), so a refused request
//   must never answer one of them.
// - mlflow/entities/model_registry/{model_version,registered_model}.py `from_proto`; the registry client's
//   create_model_version waits while `status` is PENDING_REGISTRATION (the proto2 default when the field is
//   absent) and fails unless it is READY.
// REST reference: https://mlflow.org/docs/latest/rest-api.html (Model Registry sections).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type MlflowCaller, mlflowSuites, type Reply } from './mlflow-harness.js';

/** Python's `json.dumps(value)` with its default separators and ensure_ascii=True (what requests sends). */
function pyDumps(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyDumps(k)}: ${pyDumps(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** requests' `params=` encoding: `urlencode(..., doseq=True)` with quote_plus (space → '+', `!'()*` escaped). */
function pyUrlencode(params: Record<string, string | number | (string | number)[]>): string {
  const quote = (s: string) =>
    encodeURIComponent(s)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return Object.entries(params)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) => `${quote(key)}=${quote(String(v))}`),
    )
    .join('&');
}

const CLIENT_HEADERS = {
  'user-agent': 'mlflow-python-client/2.20.0',
  'accept-encoding': 'gzip, deflate',
  accept: '*/*',
  connection: 'keep-alive',
};

/** One `call_endpoint`: GET with the dict as query parameters, any other method with it as the JSON body. */
async function callEndpoint(
  mlflow: MlflowCaller,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  endpoint: string,
  message: Record<string, string | number | boolean | object>,
): Promise<Reply> {
  assert.ok(endpoint.startsWith('/api/2.0/mlflow/'));
  if (method === 'GET') {
    const query = pyUrlencode(message as Record<string, string | number | string[]>);
    return mlflow.inject({ method, url: `${endpoint}${query ? `?${query}` : ''}`, headers: CLIENT_HEADERS });
  }
  return mlflow.inject({
    method,
    url: endpoint,
    headers: { ...CLIENT_HEADERS, 'content-type': 'application/json' },
    payload: pyDumps(message),
  });
}

// A tiny proto2 JSON reader for the registry response messages, as google.protobuf.json_format.ParseDict
// reads them with ignore_unknown_fields=True: unknown keys are skipped, null means unset, a wrong JSON type is
// a ParseError. Unset scalars read as their proto2 defaults.
type EnumType = { enum: readonly string[] };
type Scalar = 'string' | 'int64' | 'bool' | EnumType;
type FieldSpec = { type: Scalar | Schema; repeated?: boolean };
type Schema = { readonly [field: string]: FieldSpec };
type Parsed = Record<string, unknown>;

const isEnum = (type: FieldSpec['type']): type is EnumType =>
  typeof type === 'object' && Array.isArray((type as EnumType).enum);

const STATUS = { enum: ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY'] } as const;
const TAG: Schema = { key: { type: 'string' }, value: { type: 'string' } };
const MODEL_VERSION: Schema = {
  name: { type: 'string' },
  version: { type: 'string' },
  creation_timestamp: { type: 'int64' },
  last_updated_timestamp: { type: 'int64' },
  user_id: { type: 'string' },
  current_stage: { type: 'string' },
  description: { type: 'string' },
  source: { type: 'string' },
  run_id: { type: 'string' },
  status: { type: STATUS },
  status_message: { type: 'string' },
  tags: { type: TAG, repeated: true },
  run_link: { type: 'string' },
  aliases: { type: 'string', repeated: true },
};
const REGISTERED_MODEL: Schema = {
  name: { type: 'string' },
  creation_timestamp: { type: 'int64' },
  last_updated_timestamp: { type: 'int64' },
  user_id: { type: 'string' },
  description: { type: 'string' },
  latest_versions: { type: MODEL_VERSION, repeated: true },
  tags: { type: TAG, repeated: true },
  aliases: { type: { alias: { type: 'string' }, version: { type: 'string' } }, repeated: true },
};
const RESPONSES = {
  CreateRegisteredModel: { registered_model: { type: REGISTERED_MODEL } },
  CreateModelVersion: { model_version: { type: MODEL_VERSION } },
  SetRegisteredModelAlias: {},
  DeleteRegisteredModelAlias: {},
  GetModelVersionByAlias: { model_version: { type: MODEL_VERSION } },
  GetModelVersion: { model_version: { type: MODEL_VERSION } },
  TransitionModelVersionStage: { model_version: { type: MODEL_VERSION } },
  SearchModelVersions: {
    model_versions: { type: MODEL_VERSION, repeated: true },
    next_page_token: { type: 'string' },
  },
} satisfies Record<string, Schema>;

function defaultOf(spec: FieldSpec): unknown {
  if (spec.repeated) return [];
  if (spec.type === 'string') return '';
  if (spec.type === 'int64') return 0;
  if (spec.type === 'bool') return false;
  if (isEnum(spec.type)) return spec.type.enum[0];
  return undefined;
}

function parseValue(spec: FieldSpec['type'], value: unknown, path: string): unknown {
  if (spec === 'string') {
    assert.equal(
      typeof value,
      'string',
      `ParseError at ${path}: expected a string, got ${JSON.stringify(value)}`,
    );
    return value;
  }
  if (spec === 'int64') {
    const ok =
      (typeof value === 'number' && Number.isInteger(value)) ||
      (typeof value === 'string' && /^-?\d+$/.test(value));
    assert.ok(ok, `ParseError at ${path}: expected an int64, got ${JSON.stringify(value)}`);
    return Number(value);
  }
  if (spec === 'bool') {
    assert.equal(typeof value, 'boolean', `ParseError at ${path}: expected a bool`);
    return value;
  }
  if (isEnum(spec)) {
    // ignore_unknown_fields also skips unknown enum names; the field then keeps its default.
    assert.equal(typeof value, 'string', `ParseError at ${path}: expected an enum name`);
    return spec.enum.includes(value as string) ? value : spec.enum[0];
  }
  return parseMessage(spec as Schema, value, path);
}

function parseMessage(schema: Schema, json: unknown, path = '$'): Parsed {
  assert.ok(
    json !== null && typeof json === 'object' && !Array.isArray(json),
    `ParseError at ${path}: not an object`,
  );
  const out: Parsed = {};
  for (const [name, spec] of Object.entries(schema)) out[name] = defaultOf(spec);
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const spec = schema[key];
    if (!spec || value === null) continue;
    if (spec.repeated) {
      assert.ok(Array.isArray(value), `ParseError at ${path}.${key}: expected a list`);
      out[key] = value.map((item, i) => parseValue(spec.type, item, `${path}.${key}[${i}]`));
    } else {
      out[key] = parseValue(spec.type, value, `${path}.${key}`);
    }
  }
  return out;
}

/** What `RestStore` does with a reply: verify_rest_response, then parse_dict into the response proto. */
function clientParse(reply: Reply, response: keyof typeof RESPONSES): Parsed {
  assert.equal(reply.status, 200, `the client raises RestException on ${reply.status}: ${reply.text}`);
  const json: unknown = JSON.parse(reply.text);
  assert.ok(
    json !== null && typeof json === 'object' && !Array.isArray(json),
    'the body must be a JSON object',
  );
  return parseMessage(RESPONSES[response], json);
}

/** The RestException the client raises: a JSON object with error_code, on a status it does not retry. */
function clientError(reply: Reply, errorCode: string): void {
  assert.ok(
    ![200, 408, 429, 500, 502, 503, 504].includes(reply.status),
    `status ${reply.status}: ${reply.text}`,
  );
  const json = JSON.parse(reply.text) as Record<string, unknown>;
  assert.equal(json.error_code, errorCode, reply.text);
  assert.equal(typeof json.message, 'string');
}

/** `ModelVersion.from_proto` / `RegisteredModel.from_proto`: tags become dicts, aliases a dict on the model. */
const tagDict = (tags: unknown): Parsed =>
  Object.fromEntries((tags as Parsed[]).map((t) => [t.key, t.value]));
const modelVersion = (m: Parsed): Parsed => ({ ...m, tags: tagDict(m.tags) });
const registeredModel = (m: Parsed): Parsed => ({
  ...m,
  tags: tagDict(m.tags),
  aliases: Object.fromEntries((m.aliases as Parsed[]).map((a) => [a.alias, a.version])),
  latest_versions: (m.latest_versions as Parsed[]).map(modelVersion),
});

const API = '/api/2.0/mlflow';

await mlflowSuites(
  'MLflow Python client replay (registry RestStore)',
  (mlflow) => {
    const name = 'replay-churn-ünïcode';
    let runId = '';
    let artifactUri = '';

    it('create_registered_model(name, tags={"team": "risk"}, description=…) → POST registered-models/create', async () => {
      runId = await mlflow.run();
      artifactUri = (
        (await mlflow.read('/runs/get', { run_id: runId })).run as { info: { artifact_uri: string } }
      ).info.artifact_uri;
      // CreateRegisteredModel fields 1 name, 2 tags, 3 description.
      const reply = await callEndpoint(mlflow, 'POST', `${API}/registered-models/create`, {
        name,
        tags: [{ key: 'team', value: 'risk' }],
        description: 'churn model',
      });
      const model = registeredModel(clientParse(reply, 'CreateRegisteredModel').registered_model as Parsed);
      assert.equal(model.name, name);
      assert.deepEqual(model.tags, { team: 'risk' });
      assert.equal(model.description, 'churn model');
      assert.ok((model.creation_timestamp as number) > 0);
      assert.deepEqual(model.aliases, {});
      assert.deepEqual(model.latest_versions, []);
    });

    it('create_model_version(name, "runs:/<run>/model", run_id, tags=…) → POST model-versions/create, READY at once', async () => {
      for (const expected of ['1', '2']) {
        // CreateModelVersion fields 1 name, 2 source, 3 run_id, 4 tags (run_link and description unset).
        const reply = await callEndpoint(mlflow, 'POST', `${API}/model-versions/create`, {
          name,
          source: `runs:/${runId}/model`,
          run_id: runId,
          tags: [{ key: 'candidate', value: 'true' }],
        });
        const version = modelVersion(clientParse(reply, 'CreateModelVersion').model_version as Parsed);
        assert.equal(version.version, expected);
        // Anything but READY makes the client poll get_model_version (PENDING) or raise (FAILED).
        assert.equal(version.status, 'READY');
        assert.equal(version.current_stage, 'None');
        assert.equal(version.run_id, runId);
        assert.deepEqual(version.tags, { candidate: 'true' });
      }
      const download = await callEndpoint(mlflow, 'GET', `${API}/model-versions/get-download-uri`, {
        name,
        version: '1',
      });
      assert.equal(download.status, 200);
      assert.deepEqual(JSON.parse(download.text), { artifact_uri: `${artifactUri}/model` });
    });

    it('set_registered_model_alias(name, "champion", "1") → POST registered-models/alias answers {}', async () => {
      const reply = await callEndpoint(mlflow, 'POST', `${API}/registered-models/alias`, {
        name,
        alias: 'champion',
        version: '1',
      });
      assert.deepEqual(clientParse(reply, 'SetRegisteredModelAlias'), {});
      assert.equal(reply.text, '{}');
    });

    it('get_model_version_by_alias(name, "champion") → GET registered-models/alias?name=…&alias=…', async () => {
      const reply = await callEndpoint(mlflow, 'GET', `${API}/registered-models/alias`, {
        name,
        alias: 'champion',
      });
      const version = modelVersion(clientParse(reply, 'GetModelVersionByAlias').model_version as Parsed);
      assert.equal(version.name, name);
      assert.equal(version.version, '1');
      assert.deepEqual(version.aliases, ['champion']);
      assert.equal(version.source, `runs:/${runId}/model`);
    });

    it('transition_model_version_stage(name, v, "Production", archive_existing_versions) → POST transition-stage', async () => {
      // TransitionModelVersionStage fields 1 name, 2 version (str(version)), 3 stage, 4 archive_existing_versions;
      // a proto2 bool set to False is still sent.
      const first = await callEndpoint(mlflow, 'POST', `${API}/model-versions/transition-stage`, {
        name,
        version: '1',
        stage: 'Production',
        archive_existing_versions: false,
      });
      assert.equal(
        modelVersion(clientParse(first, 'TransitionModelVersionStage').model_version as Parsed).current_stage,
        'Production',
      );
      const second = await callEndpoint(mlflow, 'POST', `${API}/model-versions/transition-stage`, {
        name,
        version: '2',
        stage: 'production',
        archive_existing_versions: true,
      });
      const promoted = modelVersion(
        clientParse(second, 'TransitionModelVersionStage').model_version as Parsed,
      );
      assert.equal(promoted.current_stage, 'Production');
      const previous = await callEndpoint(mlflow, 'GET', `${API}/model-versions/get`, { name, version: '1' });
      const archived = modelVersion(clientParse(previous, 'GetModelVersion').model_version as Parsed);
      assert.equal(archived.current_stage, 'Archived');
      assert.deepEqual(archived.aliases, ['champion']);
    });

    it('search_model_versions("name=\'…\'") → GET model-versions/search?filter=…&max_results=10000', async () => {
      // SearchModelVersions fields 1 filter, 2 max_results (SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT = 10000),
      // 3 order_by, 4 page_token; the filter is a str with quotes, percent-encoded by requests.
      const reply = await callEndpoint(mlflow, 'GET', `${API}/model-versions/search`, {
        filter: `name='${name}'`,
        max_results: 10000,
      });
      const page = clientParse(reply, 'SearchModelVersions');
      assert.deepEqual(
        (page.model_versions as Parsed[]).map((v) => `${v.version}:${v.current_stage}`),
        ['2:Production', '1:Archived'],
      );
      // PagedList(…, response_proto.next_page_token): '' means no further page.
      assert.equal(page.next_page_token, '');
      const byRun = await callEndpoint(mlflow, 'GET', `${API}/model-versions/search`, {
        filter: `run_id = '${runId}'`,
        max_results: 1,
        order_by: ['version_number ASC'],
      });
      const first = clientParse(byRun, 'SearchModelVersions');
      assert.deepEqual(
        (first.model_versions as Parsed[]).map((v) => v.version),
        ['1'],
      );
      assert.notEqual(first.next_page_token, '');
      const next = await callEndpoint(mlflow, 'GET', `${API}/model-versions/search`, {
        filter: `run_id = '${runId}'`,
        max_results: 1,
        order_by: ['version_number ASC'],
        page_token: first.next_page_token as string,
      });
      assert.deepEqual(
        (clientParse(next, 'SearchModelVersions').model_versions as Parsed[]).map((v) => v.version),
        ['2'],
      );
    });

    it('delete_registered_model_alias(name, "champion") → DELETE registered-models/alias with a JSON body', async () => {
      const body = { name, alias: 'champion' };
      const reply = await callEndpoint(mlflow, 'DELETE', `${API}/registered-models/alias`, body);
      assert.deepEqual(clientParse(reply, 'DeleteRegisteredModelAlias'), {});
      // Deleting again is a no-op in MLflow's store, so a retried call succeeds too.
      const again = await callEndpoint(mlflow, 'DELETE', `${API}/registered-models/alias`, body);
      assert.deepEqual(clientParse(again, 'DeleteRegisteredModelAlias'), {});
      const gone = await callEndpoint(mlflow, 'GET', `${API}/registered-models/alias`, body);
      clientError(gone, 'RESOURCE_DOES_NOT_EXIST');
      // The model itself no longer lists the alias.
      const model = await mlflow.read('/registered-models/get', { name });
      assert.equal('aliases' in (model.registered_model as object), false);
    });
  },
  // The Python client only speaks /api/2.0 (rest_utils._REST_API_PATH_PREFIX).
  { prefixes: ['/api/2.0/mlflow'] },
);
