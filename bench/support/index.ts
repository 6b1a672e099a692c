export {
  createScratchPg,
  OUT_DIR,
  openRawPg,
  openRawSqlite,
  pgAdminUrl,
  pgAvailable,
  type ScratchPg,
  scratchSqlite,
} from './databases.js';
export { fmtInt, fmtMs, fmtPct, fmtTimes, markdownTable } from './markdown.js';
export { openOsprey } from './osprey.js';
export { type ServerProcess, startServerProcess } from './server-process.js';
export { median, msSince, quantile, timed } from './stats.js';
