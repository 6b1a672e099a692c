import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { ArtifactEntry, TrackingClient } from '../../client/index.js';
import { globalOptions, withClient } from '../context.js';
import { type Output, print } from '../output.js';

async function walk(client: TrackingClient, runId: string, path: string): Promise<ArtifactEntry[]> {
  const files: ArtifactEntry[] = [];
  for (const entry of await client.listArtifacts(runId, path)) {
    if (entry.isDir) files.push(...(await walk(client, runId, entry.path)));
    else files.push(entry);
  }
  return files;
}

/** Downloads to a temporary name and renames, so an interrupted download leaves no partial file. */
async function download(client: TrackingClient, runId: string, path: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.osprey-tmp`;
  await pipeline(await client.downloadArtifact(runId, path), createWriteStream(temp));
  await rename(temp, target);
}

/** `osprey artifacts ls|get`. */
export function artifactsCommand(program: Command, output: Output) {
  const artifacts = program.command('artifacts').description("list and download a run's artifacts");

  artifacts
    .command('ls <runId> [path]')
    .description('list a directory of artifacts')
    .option('-r, --recursive', 'list every file below')
    .action(
      async (runId: string, path: string | undefined, options: { recursive?: boolean }, command: Command) =>
        withClient(command, async (client) => {
          const entries = options.recursive
            ? await walk(client, runId, path ?? '')
            : await client.listArtifacts(runId, path ?? '');
          print(output, Boolean(globalOptions(command).json), entries, () => ({
            head: ['path', 'type', 'size'],
            rows: entries.map((e) => [e.path, e.isDir ? 'dir' : 'file', e.fileSize]),
          }));
        }),
    );

  artifacts
    .command('get <runId> <path>')
    .description('download an artifact file or directory')
    .option('-o, --output <dest>', 'destination (default: the artifact path under the current directory)')
    .action(async (runId: string, path: string, options: { output?: string }, command: Command) =>
      withClient(command, async (client) => {
        const destination = options.output ?? path;
        const listing = await client.listArtifacts(runId, dirname(path) === '.' ? '' : dirname(path));
        const isFile = listing.some((e) => e.path === path.replace(/\/+$/, '') && !e.isDir);
        if (isFile) {
          await download(client, runId, path, destination);
          output.out(`downloaded ${path} → ${destination}`);
          return;
        }
        const files = await walk(client, runId, path);
        if (files.length === 0)
          throw Object.assign(new Error(`no artifact at '${path}' in run ${runId}`), { exitCode: 1 });
        for (const file of files)
          await download(
            client,
            runId,
            file.path,
            join(destination, file.path.slice(path.replace(/\/+$/, '').length + 1)),
          );
        output.out(`downloaded ${files.length} file(s) from ${path} → ${destination}`);
      }),
    );
}
