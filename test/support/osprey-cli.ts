// Runs the CLI from source, as `osprey` would from the build (used by end-to-end tests).
import { main } from '../../src/cli/index.js';

process.exitCode = await main(process.argv);
