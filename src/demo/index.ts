export { type DemoResult, runDemo } from './run-demo.js';
