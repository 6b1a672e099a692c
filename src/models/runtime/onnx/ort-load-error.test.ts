import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ortLoadReason } from './ort-load-error.js';

describe('ortLoadReason', () => {
  it('keeps only the sentence that says what is wrong with the file', () => {
    // Messages as onnxruntime-node 1.30 words them for a 10-byte prefix and for random bytes.
    assert.equal(
      ortLoadReason(
        'Load model from /tmp/m/model.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:187 ' +
          'onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, ' +
          'const onnxruntime::ModelOptions&) ModelProto does not have a graph.\n',
      ),
      'ModelProto does not have a graph.',
    );
    assert.equal(
      ortLoadReason('Load model from /tmp/m/model.onnx failed:Protobuf parsing failed.'),
      'Protobuf parsing failed.',
    );
    assert.equal(ortLoadReason('  something else  '), 'something else');
    assert.equal(ortLoadReason('Load model from x failed:'), 'Load model from x failed:');
  });
});
