export { type LinearModel, type LinearShapOptions, linearShap } from './linear-shap.js';
