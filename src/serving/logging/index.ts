export { BoundedQueue } from './bounded-queue.js';
export {
  type CloudEvent,
  cloudEventProblems,
  EVENT_TYPES,
  EXTENSIONS,
  encodeHeaderValue,
  extensionsOf,
  isAttributeName,
  toBinaryMessage,
} from './cloud-event.js';
export { createDefaultPayloadSinks, DEFAULT_PAYLOAD_SINK } from './default-sinks.js';
export { createHttpSink, type HttpSinkMode, type HttpSinkOptions } from './http-sink.js';
export { createNatsSink, type NatsSinkOptions, subjectOf } from './nats-sink.js';
export {
  createPayloadLogStore,
  type PayloadLogStore,
  type PayloadPage,
  type PayloadQuery,
} from './payload-log-store.js';
export {
  createPayloadLogger,
  type PayloadChannel,
  type PayloadChannelStats,
  type PayloadLogger,
  type PayloadLoggerOptions,
  type PayloadLoggerStats,
} from './payload-logger.js';
export {
  constantAttributes,
  type PayloadLabels,
  type PayloadRecord,
  toCloudEvent,
} from './payload-record.js';
export {
  createPayloadSinkRegistry,
  type PayloadSink,
  type PayloadSinkFactory,
  type PayloadSinkRegistry,
} from './payload-sink.js';
export { createStoreSink } from './store-sink.js';
export { NO_LOG_HEADER, type PayloadLoggingOptions, withPayloadLogging } from './with-payload-logging.js';
