export {
  createDeploymentHost,
  type DeploymentHost,
  type DeploymentHostDeps,
  type DeploymentStatus,
  type Every,
} from './deployment-host.js';
export { ADAPTERS, type Adapter, type HostRoutesOptions, hostRoutes } from './host-routes.js';
export { type ModelPin, movingModels, pinModels, type ResolveVersion } from './model-pins.js';
