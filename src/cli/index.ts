import { type Command, CommanderError } from 'commander';
import { isOspreyError } from '../errors/index.js';
import { type Output, processOutput } from './output.js';
import { buildProgram } from './program.js';

/** Runs the CLI and resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const program = withExitOverride(buildProgram(output));
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isOspreyError(error)) {
      output.err(`error: ${error.message} (${error.code})`);
      return 1;
    }
    const e = error as { message?: string; code?: string; exitCode?: number };
    if (e?.code === 'ECONNREFUSED' || (e?.message ?? '').includes('fetch failed')) {
      output.err(`error: cannot reach the tracking server: ${e.message}`);
      return 1;
    }
    output.err(`error: ${e?.message ?? String(error)}`);
    return e?.exitCode ?? 1;
  }
}

/**
 * Commander exits the process on a usage error unless each command overrides it (subcommands built
 * before the root's override do not inherit it); overriding all of them lets main() map every error
 * to an exit code (2 for usage) and keeps in-process callers alive.
 */
function withExitOverride(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) withExitOverride(sub);
  return command;
}
