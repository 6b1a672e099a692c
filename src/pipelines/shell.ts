import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** How a stage's commands ended. */
export type ShellOutcome =
  | { ok: true }
  | { ok: false; aborted: boolean; command: string; exitCode: number | null; signal: string | null };

/** Options of {@link runShell}. */
export interface ShellOptions {
  cwd: string;
  /** Every byte of stdout and stderr goes here too. */
  logFile: string;
  /** Each complete output line, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting kills the commands' whole process group. */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when aborted (default 2 s). */
  killGraceMs?: number;
}

function lineSplitter(emit: (line: string) => void) {
  let rest = '';
  return {
    push(chunk: string) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) emit(line);
    },
    end() {
      if (rest !== '') emit(rest);
      rest = '';
    },
  };
}

async function runOne(command: string, options: ShellOptions, log: WriteStream) {
  // A process group of its own, so aborting reaches every process the command started.
  const child = spawn('sh', ['-c', command], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let killTimer: NodeJS.Timeout | undefined;
  const kill = () => {
    const group = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // Already gone.
      }
    };
    group('SIGTERM');
    killTimer = setTimeout(() => group('SIGKILL'), options.killGraceMs ?? 2000);
  };
  options.signal?.addEventListener('abort', kill, { once: true });
  const streams = (['stdout', 'stderr'] as const).map((name) => {
    const split = lineSplitter((line) => options.onLine?.(line, name));
    const stream = child[name];
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      log.write(chunk);
      split.push(chunk);
    });
    return once(stream, 'end').then(() => split.end());
  });
  try {
    const [exitCode, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    await Promise.all(streams);
    return { exitCode, signal };
  } catch (error) {
    // spawn failed (no sh, bad cwd): report it like a failed command.
    log.write(`${(error as Error).message}\n`);
    return { exitCode: 127, signal: null };
  } finally {
    options.signal?.removeEventListener('abort', kill);
    if (killTimer) clearTimeout(killTimer);
  }
}

/** Runs commands in order with `sh -c` in `cwd`; the first failure (or an abort) stops them. */
export async function runShell(commands: readonly string[], options: ShellOptions): Promise<ShellOutcome> {
  await mkdir(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  try {
    for (const command of commands) {
      if (options.signal?.aborted) return { ok: false, aborted: true, command, exitCode: null, signal: null };
      const { exitCode, signal } = await runOne(command, options, log);
      if (options.signal?.aborted) return { ok: false, aborted: true, command, exitCode, signal };
      if (exitCode !== 0) return { ok: false, aborted: false, command, exitCode, signal };
    }
    return { ok: true };
  } finally {
    log.end();
    await once(log, 'close');
  }
}

/** The last `lines` lines of a log. */
export async function logTail(file: string, lines: number): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all.slice(-lines);
}
