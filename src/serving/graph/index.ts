export type { ArmStats, BanditStateStore } from './bandit-store.js';
export { createMemoryBanditStore } from './bandit-store.js';
export { type Batcher, type BatchStats, createBatcher } from './batcher.js';
export { createDeployment, type Deployment, type DeploymentDeps, loadDeployment } from './deployment.js';
export type {
  NodeCallContext,
  NodeComponent,
  NodeFactory,
  NodeFeedback,
  NodeLoadContext,
} from './graph-types.js';
export { createNodeFactory, type NodeFactoryDeps, parseOipModelUrl } from './node-factory.js';
export type { ShadowOutcome, ShadowStats } from './shadows.js';
export { createSqlBanditStore } from './sql-bandit-store.js';
