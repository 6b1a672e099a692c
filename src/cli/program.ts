import { Command } from 'commander';
import { artifactsCommand } from './commands/artifacts.js';
import { dataCommand } from './commands/data.js';
import { demoCommand } from './commands/demo.js';
import { deployCommand } from './commands/deploy.js';
import { experimentsCommand } from './commands/experiments.js';
import { expCommands } from './commands/experiments-pipeline.js';
import { explainCommand } from './commands/explain.js';
import { modelsCommand } from './commands/models.js';
import { monitorCommand } from './commands/monitor.js';
import { pipelineCommand } from './commands/pipeline.js';
import { pipelineExportCommands } from './commands/pipeline-export.js';
import { runsCommand } from './commands/runs.js';
import { serveCommand } from './commands/serve.js';
import { serverCommand } from './commands/server.js';
import type { Output } from './output.js';

/** Builds the `osprey` command tree; each command turns flags into calls of the same API a library user calls. */
export function buildProgram(output: Output): Command {
  const program = new Command('osprey')
    .description('Osprey: track, version, serve, explain and watch ML models')
    .version('0.1.0')
    .option('--tracking-uri <uri>', 'an Osprey server URL (default: the local store; OSPREY_TRACKING_URI)')
    .option('--home <dir>', 'directory holding .osprey/ (default: OSPREY_HOME or the current directory)')
    .option('--db <url>', 'database URL: sqlite:<path> or postgres://… (OSPREY_DB_URL)')
    .option('--json', 'print JSON for scripts instead of tables')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });
  serverCommand(program, output);
  experimentsCommand(program, output);
  expCommands(program, output);
  runsCommand(program, output);
  artifactsCommand(program, output);
  modelsCommand(program, output);
  demoCommand(program, output);
  dataCommand(program, output);
  monitorCommand(program, output);
  explainCommand(program, output);
  pipelineCommand(program, output);
  pipelineExportCommands(program, output);
  serveCommand(program, output);
  deployCommand(program, output);
  return program;
}
