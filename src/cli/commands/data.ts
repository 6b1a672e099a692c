import type { Command } from 'commander';
import type { DataRepo, LinkKind, ProgressReporter } from '../../data/index.js';
import { invalidArgument } from '../../errors/index.js';
import { globalOptions } from '../context.js';
import { type Output, print } from '../output.js';
import { dataValidationCommands } from './data-validation.js';

interface TransferFlags {
  remote?: string;
  jobs?: string;
}
interface CheckoutFlags {
  link?: string | boolean;
  force?: boolean;
}

const LINKS: readonly LinkKind[] = ['copy', 'hardlink', 'reflink'];

/** Human sizes in powers of 1024 (KiB, MiB, …) with one decimal. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw invalidArgument(`${flag} must be a non-negative integer, got ${value}`);
  return n;
}

function linkKind(flag: string | boolean | undefined): LinkKind | undefined {
  if (flag === undefined || flag === false) return undefined;
  if (flag === true) return 'hardlink';
  if (!(LINKS as readonly string[]).includes(flag))
    throw invalidArgument(`--link must be one of ${LINKS.join(', ')}, got ${flag}`);
  return flag as LinkKind;
}

/** Progress bars on stderr when both streams are terminals and output is for people. */
async function progressFor(json: boolean): Promise<ProgressReporter | undefined> {
  if (json || !process.stdout.isTTY || !process.stderr.isTTY) return undefined;
  const { default: cliProgress } = await import('cli-progress');
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined;
  let byBytes = false;
  let files = 0;
  let totalFiles = 0;
  return {
    start(label, total, bytes) {
      byBytes = bytes > 0;
      files = 0;
      totalFiles = total;
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | {files}/{totalFiles} files | {size} | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(byBytes ? bytes : total, 0, { files, totalFiles, size: formatBytes(bytes) });
    },
    advance(doneFiles, doneBytes) {
      files += doneFiles;
      bar?.increment(byBytes ? doneBytes : doneFiles, { files, totalFiles });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Opens the project's data repository from the global flags, runs `work`, always closes it. */
async function withRepo<T>(
  command: Command,
  work: (repo: DataRepo, json: boolean) => Promise<T>,
  threads?: number,
): Promise<T> {
  const [{ openDataRepo, findProjectRoot }, { resolveConfig }] = await Promise.all([
    import('../../data/index.js'),
    import('../../config/index.js'),
  ]);
  const options = globalOptions(command);
  const json = Boolean(options.json);
  const root = options.home ?? findProjectRoot(process.cwd());
  const repo = await openDataRepo({
    root,
    cwd: process.cwd(),
    threads,
    s3: { ...resolveConfig({}, process.env).s3 },
    progress: await progressFor(json),
  });
  try {
    return await work(repo, json);
  } finally {
    await repo.close();
  }
}

/** Runs a transfer with Ctrl-C wired to stop it cleanly (objects in flight finish; a re-run resumes). */
async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** `osprey data add|status|checkout|push|pull|fetch|gc|remote`: versioned data, DVC-style. */
export function dataCommand(program: Command, output: Output) {
  const data = program
    .command('data')
    .description(
      'version data files and directories: a content-addressed cache, pointer files for git, remotes',
    );

  data
    .command('add <paths...>')
    .description('track files or directories: cache their content and write <path>.osprey for git')
    .option('--follow-symlinks', 'track the content symlinks point to (default: refuse symlinks)')
    .option('-j, --threads <n>', 'hashing threads (default: all cores)')
    .action(
      async (paths: string[], flags: { followSymlinks?: boolean; threads?: string }, command: Command) =>
        withRepo(
          command,
          async (repo, json) => {
            const results = await repo.add(paths, { followSymlinks: flags.followSymlinks });
            if (json) return print(output, true, results, () => ({ head: [], rows: [] }));
            for (const r of results) {
              const what = r.isDir ? `${r.nfiles} files, ${formatBytes(r.size)}` : formatBytes(r.size);
              output.out(
                `${r.changed ? 'added' : 'unchanged'} ${r.path} (${what}, read ${r.hashed}) → ${r.pointer}  sha256:${r.digest.slice(0, 12)}`,
              );
            }
            const changed = results.filter((r) => r.changed).map((r) => r.pointer);
            if (changed.length > 0)
              output.out(`to record it in git: git add ${changed.join(' ')} and the .gitignore files`);
          },
          positiveInt(flags.threads, '--threads'),
        ),
    );

  data
    .command('status [targets...]')
    .description('compare tracked data with the workspace and the cache (and a remote with --cloud)')
    .option('-c, --cloud', 'also count objects missing from the remote')
    .option('-r, --remote <name>', 'remote for --cloud (default: the default remote)')
    .action(async (targets: string[], flags: { cloud?: boolean; remote?: string }, command: Command) =>
      withRepo(command, async (repo, json) => {
        const statuses = await repo.status(targets, { remoteStatus: flags.cloud, remote: flags.remote });
        if (json) return print(output, true, statuses, () => ({ head: [], rows: [] }));
        if (statuses.length === 0)
          return output.out('nothing tracked: add data with `osprey data add <path>`');
        print(output, false, statuses, () => ({
          head: ['path', 'workspace', 'cache', ...(flags.cloud ? ['remote'] : [])],
          rows: statuses.map((s) => [
            s.path,
            s.workspace,
            s.notInCache === 0 ? 'ok' : `${s.notInCache} not in cache`,
            ...(flags.cloud ? [s.notInRemote === 0 ? 'ok' : `${s.notInRemote} not in remote`] : []),
          ]),
        }));
        for (const s of statuses) {
          if (!s.changes) continue;
          for (const [label, paths] of Object.entries(s.changes) as [string, string[]][])
            for (const p of paths.slice(0, 20)) output.out(`  ${label}: ${s.path}/${p}`);
        }
      }),
    );

  data
    .command('checkout [targets...]')
    .description('restore tracked data from the cache')
    .option('--link [kind]', 'hardlink (default for --link) or reflink instead of a verified copy')
    .option('-f, --force', 'overwrite unsaved changes, remove files not tracked, replace symlinks in the way')
    .action(async (targets: string[], flags: CheckoutFlags, command: Command) =>
      withRepo(command, async (repo, json) => {
        const results = await repo.checkout(targets, { link: linkKind(flags.link), force: flags.force });
        if (json) return print(output, true, results, () => ({ head: [], rows: [] }));
        for (const r of results) output.out(checkoutLine(r));
      }),
    );

  const transfer = (name: 'push' | 'fetch', description: string) =>
    data
      .command(`${name} [targets...]`)
      .description(description)
      .option('-r, --remote <name>', 'remote (default: the default remote)')
      .option('-j, --jobs <n>', 'objects in flight at once (default: 4 × cores, at most 32)')
      .action(async (targets: string[], flags: TransferFlags, command: Command) =>
        withRepo(command, async (repo, json) => {
          const jobs = positiveInt(flags.jobs, '--jobs');
          const result = await interruptible((signal) =>
            repo[name](targets, { remote: flags.remote, jobs, signal }),
          );
          if (json) return print(output, true, result, () => ({ head: [], rows: [] }));
          output.out(
            `${name === 'push' ? 'pushed' : 'fetched'} ${result.transferred} objects (${formatBytes(result.bytes)}) ` +
              `${name === 'push' ? 'to' : 'from'} ${result.remote}; ${result.skipped} already there`,
          );
        }),
      );
  transfer('push', 'upload to a remote the cached objects it does not have');
  transfer('fetch', 'download into the cache the objects it does not have');

  data
    .command('pull [targets...]')
    .description('fetch, then checkout')
    .option('-r, --remote <name>', 'remote (default: the default remote)')
    .option('-j, --jobs <n>', 'objects in flight at once (default: 4 × cores, at most 32)')
    .option('--link [kind]', 'hardlink (default for --link) or reflink instead of a verified copy')
    .option('-f, --force', 'overwrite unsaved changes, remove files not tracked')
    .action(async (targets: string[], flags: TransferFlags & CheckoutFlags, command: Command) =>
      withRepo(command, async (repo, json) => {
        const jobs = positiveInt(flags.jobs, '--jobs');
        const link = linkKind(flags.link);
        const result = await interruptible((signal) =>
          repo.pull(targets, { remote: flags.remote, jobs, signal, link, force: flags.force }),
        );
        if (json) return print(output, true, result, () => ({ head: [], rows: [] }));
        output.out(`fetched ${result.fetched.transferred} objects (${formatBytes(result.fetched.bytes)})`);
        for (const r of result.checkedOut) output.out(checkoutLine(r));
      }),
    );

  data
    .command('gc')
    .description('remove cache objects that no pointer file in the workspace refers to')
    .option('-n, --dry-run', 'list what would be removed')
    .option('-f, --force', 'proceed even if a directory manifest is missing from the cache')
    .action(async (flags: { dryRun?: boolean; force?: boolean }, command: Command) =>
      withRepo(command, async (repo, json) => {
        const result = await repo.gc({ dryRun: flags.dryRun, force: flags.force });
        if (json) return print(output, true, result, () => ({ head: [], rows: [] }));
        if (result.dryRun)
          for (const o of result.removed) output.out(`would remove ${o.digest} (${formatBytes(o.size)})`);
        output.out(
          `${result.dryRun ? 'would remove' : 'removed'} ${result.removed.length} objects (${formatBytes(result.bytes)}); kept ${result.kept}`,
        );
      }),
    );

  remoteCommands(data, output);
  dataValidationCommands(data, output);
}

function checkoutLine(r: {
  path: string;
  written: number;
  unchanged: number;
  removed: string[];
  kept: string[];
}) {
  const extra = [
    r.removed.length > 0 ? `${r.removed.length} removed` : '',
    r.kept.length > 0 ? `${r.kept.length} untracked kept (--force removes them)` : '',
  ].filter(Boolean);
  return `${r.path}: ${r.written} written, ${r.unchanged} unchanged${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

function remoteCommands(data: Command, output: Output) {
  const remote = data.command('remote').description('configure remotes (.osprey/config.yaml)');

  remote
    .command('add <name> <url>')
    .description('add a remote: a directory path, file:// or s3://bucket/prefix')
    .option('-d, --default', 'make it the default remote (the first one always is)')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, Ceph, …)')
    .option('--region <region>', 'S3 region')
    .option('--path-style', 'path-style S3 addressing')
    .option('--access-key-id <id>', 'stored in .osprey/config.local.yaml, which git ignores')
    .option('--secret-access-key <key>', 'stored in .osprey/config.local.yaml, which git ignores')
    .option('-f, --force', 'replace a remote of the same name')
    .action(
      async (
        name: string,
        url: string,
        flags: {
          default?: boolean;
          endpoint?: string;
          region?: string;
          pathStyle?: boolean;
          accessKeyId?: string;
          secretAccessKey?: string;
          force?: boolean;
        },
        command: Command,
      ) =>
        withRepo(command, async (repo, json) => {
          const added = await repo.remotes.add(name, url, { ...flags, forcePathStyle: flags.pathStyle });
          if (json) return print(output, true, redact(added), () => ({ head: [], rows: [] }));
          output.out(`added remote ${added.name} → ${added.url}${added.isDefault ? ' (default)' : ''}`);
        }),
    );

  remote
    .command('list')
    .description('list remotes')
    .action(async (_flags: object, command: Command) =>
      withRepo(command, async (repo, json) => {
        const remotes = (await repo.remotes.list()).map(redact);
        print(output, json, remotes, () => ({
          head: ['name', 'url', 'default', 'endpoint'],
          rows: remotes.map((r) => [r.name, r.url, r.isDefault ? 'yes' : '', r.endpoint]),
        }));
      }),
    );

  remote
    .command('remove <name>')
    .description('remove a remote')
    .action(async (name: string, _flags: object, command: Command) =>
      withRepo(command, async (repo) => {
        await repo.remotes.remove(name);
        output.out(`removed remote ${name}`);
      }),
    );

  remote
    .command('default <name>')
    .description('make a remote the default')
    .action(async (name: string, _flags: object, command: Command) =>
      withRepo(command, async (repo) => {
        await repo.remotes.setDefault(name);
        output.out(`default remote: ${name}`);
      }),
    );
}

/** A remote without its secret, for printing. */
function redact<T extends { secretAccessKey?: string }>(remote: T): T {
  return remote.secretAccessKey === undefined ? remote : { ...remote, secretAccessKey: '***' };
}
