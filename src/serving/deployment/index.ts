export {
  formatDeploymentSpec,
  loadDeploymentSpec,
  parseDeploymentSpec,
  resolveSpecPaths,
  validateDeploymentSpec,
} from './spec-io.js';
export { checkDeploymentRules, type SpecIssue } from './spec-rules.js';
export {
  type BatchingSpec,
  CONDITION_OPS,
  type CombinerType,
  type ConditionOp,
  type ConditionSpec,
  type DeploymentSpec,
  KSERVE_ROUTERS,
  NODE_TYPES,
  type NodeSpec,
  type NodeType,
  type PayloadLoggingSpec,
  type RouterSpec,
  type RouterType,
  type Scalar,
  SELDON_ROUTERS,
  type ShadowSpec,
  TRAFFIC_NODE,
  type TrafficSpec,
  type VariantSpec,
} from './spec-schema.js';
