import { CommanderError } from 'commander';
import { isOspreyError } from '../errors/index.js';
import { type Output, processOutput } from './output.js';
import { buildProgram } from './program.js';

/** Runs the CLI and resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const program = buildProgram(output).exitOverride();
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
