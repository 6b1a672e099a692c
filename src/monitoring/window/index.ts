export {
  type BatchPredictor,
  createSlidingWindow,
  createTumblingWindow,
  type SampleOf,
  StreamWindow,
  type WindowOptions,
  type WindowState,
  windowed,
} from './sliding-window.js';
