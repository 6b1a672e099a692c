import type { Command } from 'commander';
import { globalOptions } from '../context.js';
import { formatTime, type Output, print } from '../output.js';
import { deployExportCommand } from './deploy-export.js';

interface Status {
  name: string;
  state: string;
  ready: boolean;
  version?: string;
  models: { node: string; uri: string; version: string }[];
  inFlight: number;
  generation: number;
  loadedAt?: string;
  lastError?: string;
}

/** Calls the server's deployments API; its `{code, message}` errors become OspreyErrors (exit 1). */
async function api<T>(command: Command, method: string, path: string, body?: unknown): Promise<T> {
  const [{ OspreyError, ERROR_CODES }] = await Promise.all([import('../../errors/index.js')]);
  const server = globalOptions(command).trackingUri ?? process.env.OSPREY_TRACKING_URI;
  if (!server)
    throw Object.assign(
      new Error('deploy talks to a running server: pass --tracking-uri or set OSPREY_TRACKING_URI'),
      {
        exitCode: 2,
      },
    );
  const response = await fetch(new URL(`/api/v1/deployments${path}`, server), {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  const payload = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!response.ok) {
    const code = ERROR_CODES.find((c) => c === payload.code) ?? 'INTERNAL';
    throw new OspreyError(code, payload.message ?? `${method} ${path}: HTTP ${response.status}`);
  }
  return payload as T;
}

const models = (s: Status) => s.models.map((m) => `${m.node}: ${m.uri} → v${m.version}`).join('\n');

function printStatuses(output: Output, command: Command, value: unknown, statuses: Status[]) {
  print(output, Boolean(globalOptions(command).json), value, () => ({
    head: ['name', 'state', 'ready', 'version', 'models', 'in flight', 'loaded', 'last error'],
    rows: statuses.map((s) => [
      s.name,
      s.state,
      s.ready ? 'yes' : 'no',
      s.version,
      models(s),
      s.inFlight,
      s.loadedAt && formatTime(Date.parse(s.loadedAt)),
      s.lastError,
    ]),
  }));
}

/** `osprey deploy apply|ls|rm`: the deployments a running `osprey server` hosts. */
export function deployCommand(program: Command, output: Output) {
  const deploy = program
    .command('deploy')
    .description('manage the deployments a running osprey server hosts, or export them to Kubernetes');
  deployExportCommand(deploy, output);

  deploy
    .command('apply')
    .description('create or replace a deployment from its spec; returns once it serves')
    .requiredOption('-f, --file <spec>', 'the deployment spec (YAML)')
    .action(async (options: { file: string }, command: Command) => {
      const { loadDeploymentSpec } = await import('../../serving/deployment/index.js');
      const spec = await loadDeploymentSpec(options.file);
      const status = await api<Status>(command, 'PUT', `/${encodeURIComponent(spec.name)}`, spec);
      printStatuses(output, command, status, [status]);
    });

  deploy
    .command('ls')
    .description('list deployments with their status')
    .action(async (_options: object, command: Command) => {
      const page = await api<{ deployments: Status[] }>(command, 'GET', '');
      printStatuses(output, command, page.deployments, page.deployments);
    });

  deploy
    .command('rm <name>')
    .description('stop serving a deployment (its in-flight requests finish first)')
    .action(async (name: string, _options: object, command: Command) => {
      await api(command, 'DELETE', `/${encodeURIComponent(name)}`);
      output.out(`removed deployment ${name}`);
    });
}
