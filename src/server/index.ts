export { type BuildServerOptions, buildServer } from './build-server.js';
