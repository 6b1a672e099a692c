export { OspreyError } from '../errors/index.js';
export type * from '../registry/types.js';
export type * from '../tracking/types.js';
export { ActiveRun, type StartRunOptions, startRun } from './active-run.js';
export { type ConnectOptions, connect } from './connect.js';
export { createEmbeddedClient } from './embedded-client.js';
export { createHttpClient } from './http-client.js';
export { registerModel } from './register-model.js';
export type { OspreyClient, RegistryClient, TrackingClient, UploadSource } from './tracking-client.js';
