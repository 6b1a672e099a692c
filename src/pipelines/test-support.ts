// Helpers for the pipelines tests (excluded from the build).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type DataRepo, openDataRepo } from '../data/index.js';
import { type ReproEvent, type ReproOptions, type ReproResult, repro } from './repro.js';

/** A project in a temp dir with files written, its data repo (hashing inline), and a repro runner. */
export interface TestProject {
  root: string;
  data: DataRepo;
  write(files: Record<string, string>): void;
  read(path: string): string;
  repro(options?: ReproOptions): Promise<ReproResult & { events: ReproEvent[] }>;
  dispose(): Promise<void>;
}

/** Creates a project holding `files` (path → content). */
export async function testProject(files: Record<string, string>): Promise<TestProject> {
  const root = mkdtempSync(join(tmpdir(), 'osprey-pipelines-'));
  const write = (more: Record<string, string>) => {
    for (const [path, content] of Object.entries(more)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  };
  write(files);
  const data = await openDataRepo({ root, threads: 0 });
  return {
    root,
    data,
    write,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    async repro(options = {}) {
      const events: ReproEvent[] = [];
      const result = await repro(
        { root, data },
        {
          ...options,
          onEvent: (e) => {
            events.push(e);
            options.onEvent?.(e);
          },
        },
      );
      return { ...result, events };
    },
    async dispose() {
      await data.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
