import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running Osprey server in a child process. */
export interface ServerProcess {
  readonly url: string;
  stop(): Promise<void>;
}

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'serve-child.ts');

/** Starts `serve-child.ts` on a database URL and waits for its port; `cpuProfDir` turns on --cpu-prof. */
export async function startServerProcess(
  dbUrl: string,
  { cpuProfDir }: { cpuProfDir?: string } = {},
): Promise<ServerProcess> {
  const profFlags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profFlags, '--import', 'tsx', CHILD, dbUrl], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    // Fastify's schema warnings are noise here; errors still reach stderr.
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with code ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
