// Data: versioning of files and directories (src/data/versioning). Profiling and validation
// will sit beside it as sibling folders.
export * from './validation/index.js';
export * from './versioning/index.js';
