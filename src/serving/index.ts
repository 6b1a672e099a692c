export {
  createDeploymentHost,
  type DeploymentHost,
  type DeploymentHostDeps,
  type DeploymentStatus,
  hostRoutes,
} from './host/index.js';
export type * from './types.js';
