// The text of `inference.proto` beside this file, so the gRPC server needs no file next to the
// compiled code (tsc copies no .proto into dist). A test keeps the two identical.

/** The Open Inference Protocol gRPC service definition (package `inference`). */
export const INFERENCE_PROTO = `// Open Inference Protocol (KServe V2) gRPC API, written from the published specification
// (kserve/open-inference-protocol specification/protocol/open_inference_grpc.proto, also
// kserve docs/predict-api/v2/grpc_predict_v2.proto): same package, service, messages and field
// numbers, so clients generated from either file talk to Osprey unchanged.
// inference-proto.ts holds this text for the server; a test keeps the two identical.

syntax = "proto3";
package inference;

service GRPCInferenceService
{
  // Whether the server can receive and answer metadata and inference requests.
  rpc ServerLive(ServerLiveRequest) returns (ServerLiveResponse) {}

  // Whether the server is ready for inference.
  rpc ServerReady(ServerReadyRequest) returns (ServerReadyResponse) {}

  // Whether one model is ready for inference.
  rpc ModelReady(ModelReadyRequest) returns (ModelReadyResponse) {}

  // Server name, version and extensions.
  rpc ServerMetadata(ServerMetadataRequest) returns (ServerMetadataResponse) {}

  // A model's name, versions, platform, inputs and outputs.
  rpc ModelMetadata(ModelMetadataRequest) returns (ModelMetadataResponse) {}

  // Runs one inference request on a model.
  rpc ModelInfer(ModelInferRequest) returns (ModelInferResponse) {}
}

message ServerLiveRequest {}

message ServerLiveResponse
{
  bool live = 1;
}

message ServerReadyRequest {}

message ServerReadyResponse
{
  bool ready = 1;
}

message ModelReadyRequest
{
  string name = 1;
  // Empty: the server picks the version.
  string version = 2;
}

message ModelReadyResponse
{
  bool ready = 1;
}

message ServerMetadataRequest {}

message ServerMetadataResponse
{
  string name = 1;
  string version = 2;
  repeated string extensions = 3;
}

message ModelMetadataRequest
{
  string name = 1;
  // Empty: the server picks the version.
  string version = 2;
}

message ModelMetadataResponse
{
  message TensorMetadata
  {
    string name = 1;
    string datatype = 2;
    // -1 marks a variable-size dimension.
    repeated int64 shape = 3;
  }

  string name = 1;
  repeated string versions = 2;
  string platform = 3;
  repeated TensorMetadata inputs = 4;
  repeated TensorMetadata outputs = 5;
}

message ModelInferRequest
{
  message InferInputTensor
  {
    string name = 1;
    string datatype = 2;
    repeated int64 shape = 3;
    map<string, InferParameter> parameters = 4;
    // Typed contents; must be absent when raw_input_contents is used.
    InferTensorContents contents = 5;
  }

  message InferRequestedOutputTensor
  {
    string name = 1;
    map<string, InferParameter> parameters = 2;
  }

  string model_name = 1;
  // Empty: the server picks the version.
  string model_version = 2;
  // Echoed in the response when given.
  string id = 3;
  map<string, InferParameter> parameters = 4;
  repeated InferInputTensor inputs = 5;
  // Empty: every output of the model.
  repeated InferRequestedOutputTensor outputs = 6;
  // One entry per input, in input order: little-endian, row-major, no padding. FP16 and BF16
  // travel only this way. When present, no input may carry typed contents.
  repeated bytes raw_input_contents = 7;
}

message ModelInferResponse
{
  message InferOutputTensor
  {
    string name = 1;
    string datatype = 2;
    repeated int64 shape = 3;
    map<string, InferParameter> parameters = 4;
    // Typed contents; absent when raw_output_contents is used.
    InferTensorContents contents = 5;
  }

  string model_name = 1;
  string model_version = 2;
  string id = 3;
  map<string, InferParameter> parameters = 4;
  repeated InferOutputTensor outputs = 5;
  // One entry per output, in output order, laid out like raw_input_contents.
  repeated bytes raw_output_contents = 6;
}

// A parameter value: a bool, an int64, a string, a double or a uint64.
message InferParameter
{
  oneof parameter_choice
  {
    bool bool_param = 1;
    int64 int64_param = 2;
    string string_param = 3;
    double double_param = 4;
    uint64 uint64_param = 5;
  }
}

// Tensor elements in the field matching the datatype, flattened row-major (repeated fields
// cannot sit in a oneof, hence one message with a field per element type).
message InferTensorContents
{
  // BOOL
  repeated bool bool_contents = 1;
  // INT8, INT16, INT32
  repeated int32 int_contents = 2;
  // INT64
  repeated int64 int64_contents = 3;
  // UINT8, UINT16, UINT32
  repeated uint32 uint_contents = 4;
  // UINT64
  repeated uint64 uint64_contents = 5;
  // FP32
  repeated float fp32_contents = 6;
  // FP64
  repeated double fp64_contents = 7;
  // BYTES
  repeated bytes bytes_contents = 8;
}
`;
