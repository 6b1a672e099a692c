export { apiRoutes } from './api-routes.js';
