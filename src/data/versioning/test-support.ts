// Helpers for the data-versioning tests (excluded from the build).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDataRepo } from './data-repo.js';
import type { FileJob } from './file-ops.js';
import { createFileRunner, type FileRunner } from './file-runner.js';

/** A file runner that records the paths of the workspace files it was asked to read. */
export function countingRunner(threads = 0): { runner: FileRunner; read: string[] } {
  const inner = createFileRunner({ threads });
  const read: string[] = [];
  return {
    read,
    runner: {
      run(jobs: readonly FileJob[], options) {
        for (const job of jobs) if (job.op !== 'restore') read.push(job.path);
        return inner.run(jobs, options);
      },
      close: () => inner.close(),
    },
  };
}

/** Writes files (path → content) under `root`, creating directories. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/**
 * Moves every file's mtime a minute into the past, as for data written before the command ran
 * (files written in the last few ms are "racy" and re-read on purpose: see stat-cache.ts).
 */
export function age(path: string): void {
  const past = new Date(Date.now() - 60_000);
  const visit = (p: string) => {
    for (const entry of readdirSync(p, { withFileTypes: true })) {
      const child = join(p, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) utimesSync(child, past, past);
    }
  };
  visit(path);
}

/** A fresh project directory and a repo on it with a counting runner; dispose() cleans up. */
export async function tempProject(threads = 0) {
  const root = mkdtempSync(join(tmpdir(), 'osprey-data-'));
  const counting = countingRunner(threads);
  const repo = await openDataRepo({ root, runner: counting.runner });
  return {
    root,
    repo,
    read: counting.read,
    async dispose() {
      await repo.close();
      await counting.runner.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
