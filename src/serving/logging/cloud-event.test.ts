// CloudEvents 1.0 conformance of the payload events (spec.md §3 context attributes and naming,
// formats/json-format.md, bindings/http-protocol-binding.md §3.1 binary mode).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CloudEvent,
  cloudEventProblems,
  constantAttributes,
  encodeHeaderValue,
  extensionsOf,
  isAttributeName,
  toBinaryMessage,
  toCloudEvent,
} from './index.js';
import { doublingRequest } from './test-support/endpoints.js';

const constant = constantAttributes({
  deployment: 'fraud',
  node: 'scorer',
  model: 'doubler',
  version: '3',
  route: 'canary',
});
const request = doublingRequest('req-1', {
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});
const response = {
  id: 'req-1',
  modelName: 'doubler',
  modelVersion: '3',
  outputs: { y: { datatype: 'FP32' as const, shape: [3], data: Float32Array.of(2, 4, 6) } },
  routing: { router: 1 },
};
const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

function events() {
  return {
    request: toCloudEvent({ kind: 'request', time: T, request }, constant),
    response: toCloudEvent({ kind: 'response', time: T + 5, request, response, latencyMs: 4.25 }, constant),
    error: toCloudEvent(
      { kind: 'error', time: T, request, error: new Error('boom'), latencyMs: 1 },
      constant,
    ),
    feedback: toCloudEvent(
      { kind: 'feedback', time: T, feedback: { requestId: 'req-1', reward: 1 } },
      constant,
    ),
  };
}

describe('payload CloudEvents', () => {
  it('carry the required attributes and only legal extension names', () => {
    for (const [kind, event] of Object.entries(events())) {
      assert.deepEqual(cloudEventProblems(event), [], kind);
      assert.equal(event.specversion, '1.0');
      for (const key of ['id', 'source', 'type'] as const)
        assert.ok(typeof event[key] === 'string' && event[key] !== '');
      assert.equal(event.type, `io.osprey.inference.${kind}`);
      assert.equal(event.datacontenttype, 'application/json');
      assert.equal(event.source, '/osprey/deployments/fraud/nodes/scorer');
      for (const name of Object.keys(extensionsOf(event)))
        assert.match(name, /^[a-z0-9]{1,20}$/, `${kind}: ${name}`);
    }
    const ids = new Set(Object.values(events()).map((e) => e.id));
    assert.equal(ids.size, 4);
  });

  it('use the KServe / Seldon attribute names for deployment, node, request id and traffic route', () => {
    const { request: req, response: res } = events();
    assert.deepEqual(extensionsOf(req), {
      inferenceservicename: 'fraud',
      modelid: 'scorer',
      modelname: 'doubler',
      modelversion: '3',
      endpoint: 'canary',
      requestid: 'req-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    assert.equal(req.time, '2026-01-02T03:04:05.678Z');
    assert.equal(res.time, '2026-01-02T03:04:05.683Z');
    assert.equal(res.latencyms, '4.250');
    assert.equal(res.routing, '{"router":1}');
  });

  it('hold OIP JSON bodies as data', () => {
    const e = events();
    assert.deepEqual(e.request!.data, {
      id: 'req-1',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [3], data: [1, 2, 3] }],
    });
    assert.deepEqual(e.response!.data, {
      model_name: 'doubler',
      model_version: '3',
      id: 'req-1',
      outputs: [{ name: 'y', datatype: 'FP32', shape: [3], data: [2, 4, 6] }],
    });
    assert.deepEqual(e.error!.data, { error: 'boom' });
    assert.deepEqual(e.feedback!.data, { request_id: 'req-1', reward: 1 });
    // The JSON format round-trips.
    assert.deepEqual(JSON.parse(JSON.stringify(e.response)), e.response);
  });

  it('are checked against the naming and type rules', () => {
    const good = events().request!;
    assert.ok(isAttributeName('inferenceservicename')); // 20 characters, the limit
    assert.equal(isAttributeName('inferenceservicename1'), false);
    assert.equal(isAttributeName('modelName'), false);
    assert.equal(isAttributeName('model_name'), false);
    assert.equal(isAttributeName(''), false);
    const problems = (patch: Record<string, unknown>) =>
      cloudEventProblems({ ...good, ...patch } as CloudEvent);
    assert.deepEqual(problems({ specversion: '0.3' }), [`specversion must be '1.0'`]);
    assert.deepEqual(problems({ id: '' }), ['id must be a non-empty string']);
    assert.deepEqual(problems({ time: '2026-01-02 03:04:05' }), ['time must be an RFC 3339 timestamp']);
    assert.deepEqual(problems({ modelName: 'x' }), [
      `extension 'modelName' is not lower-case alphanumeric (<= 20)`,
    ]);
    assert.deepEqual(problems({ latency: 1.5 }), [
      `extension 'latency' must be a string, boolean or 32-bit integer`,
    ]);
    assert.deepEqual(problems({ nested: { a: 1 } }), [
      `extension 'nested' must be a string, boolean or 32-bit integer`,
    ]);
  });

  it('map to HTTP binary mode: ce- headers, content-type from datacontenttype, data as body', () => {
    const { response: res } = events();
    const { headers, body } = toBinaryMessage(res!);
    assert.equal(headers['ce-specversion'], '1.0');
    assert.equal(headers['ce-id'], res!.id);
    assert.equal(headers['ce-type'], 'io.osprey.inference.response');
    assert.equal(headers['ce-source'], '/osprey/deployments/fraud/nodes/scorer');
    assert.equal(headers['ce-inferenceservicename'], 'fraud');
    assert.equal(headers['ce-requestid'], 'req-1');
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['ce-datacontenttype'], undefined);
    assert.equal(headers['ce-data'], undefined);
    assert.deepEqual(JSON.parse(body), res!.data);
  });

  it('percent-encode header values as the HTTP binding requires', () => {
    // The example of the HTTP protocol binding §3.1.3.2.
    assert.equal(encodeHeaderValue('Euro € 😀'), 'Euro%20%E2%82%AC%20%F0%9F%98%80');
    assert.equal(encodeHeaderValue('a"b%c'), 'a%22b%25c');
    assert.equal(encodeHeaderValue('plain-Value_1.2~!'), 'plain-Value_1.2~!');
  });
});
