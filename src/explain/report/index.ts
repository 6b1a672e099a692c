export {
  calibrationPlot,
  disparateImpactPlot,
  fairnessBars,
  importancePlot,
  prPlot,
  rocPlot,
} from './curve-plots.js';
export { type ReportInput, renderReport } from './render-report.js';
export { featureOrder, shapBarPlot, shapBeeswarm, shapDependence } from './shap-plots.js';
