export { type ConfigInput, type OspreyConfig, resolveConfig } from './config.js';
