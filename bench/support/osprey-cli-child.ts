// Runs the Osprey CLI from source in a child process (as the `osprey` bin runs the build).
import { main } from '../../src/cli/index.js';

process.exitCode = await main(process.argv);
