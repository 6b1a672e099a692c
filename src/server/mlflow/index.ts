export { isMlflowUrl, mlflowEndpointNotFound, mlflowRoutes } from './mlflow-routes.js';
