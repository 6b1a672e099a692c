import type { Command } from 'commander';
import type { Run, TrackingClient } from '../../client/index.js';
import { collect, experimentIdOf, globalOptions, withClient } from '../context.js';
import { formatDuration, formatTime, type Output, print } from '../output.js';

interface SearchOptions {
  experiment?: string[];
  orderBy?: string[];
  max?: string;
  all?: boolean;
}

async function searchAll(
  client: TrackingClient,
  filter: string | undefined,
  options: SearchOptions,
): Promise<Run[]> {
  const ids = await Promise.all((options.experiment ?? ['0']).map((e) => experimentIdOf(client, e)));
  const max = options.max ? Number(options.max) : 100;
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.searchRuns({
      experimentIds: ids,
      filter,
      orderBy: options.orderBy,
      viewType: options.all ? 'ALL' : 'ACTIVE_ONLY',
      maxResults: Math.min(max - runs.length, 1000),
      pageToken,
    });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken && runs.length < max);
  return runs;
}

const entryValue = (list: { key: string; value: string | number }[], key: string) =>
  list.find((x) => x.key === key)?.value;

function runsTable(output: Output, json: boolean, runs: Run[]) {
  const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort().slice(0, 6);
  print(output, json, runs, () => ({
    head: ['run id', 'name', 'status', 'started', 'duration', ...metricKeys],
    rows: runs.map((r) => [
      r.info.runId,
      r.info.runName,
      r.info.status,
      formatTime(r.info.startTime),
      formatDuration(r.info.startTime, r.info.endTime),
      ...metricKeys.map((k) => entryValue(r.data.metrics, k)),
    ]),
  }));
}

function addSearchOptions(command: Command): Command {
  return command
    .option('-e, --experiment <idOrName>', 'experiment to search (repeatable; default 0)', collect)
    .option('--order-by <clause>', 'e.g. "metrics.rmse ASC" (repeatable)', collect)
    .option('--max <n>', 'at most this many runs', '100')
    .option('--all', 'include deleted runs');
}

/** `osprey runs ls|show|compare|search|rm|restore`. */
export function runsCommand(program: Command, output: Output) {
  const runs = program.command('runs').description('inspect and search runs');

  addSearchOptions(runs.command('ls').description('list runs, newest first')).action(
    async (options: SearchOptions, command: Command) =>
      withClient(command, async (client) =>
        runsTable(output, Boolean(globalOptions(command).json), await searchAll(client, undefined, options)),
      ),
  );

  addSearchOptions(
    runs
      .command('search <filter>')
      .description(
        `search runs with MLflow's filter grammar, e.g. "metrics.acc > 0.9 and params.lr = '0.1'"`,
      ),
  ).action(async (filter: string, options: SearchOptions, command: Command) =>
    withClient(command, async (client) =>
      runsTable(output, Boolean(globalOptions(command).json), await searchAll(client, filter, options)),
    ),
  );

  runs
    .command('show <runId>')
    .description('show one run: info, params, metrics, tags, inputs')
    .action(async (runId: string, _options: object, command: Command) =>
      withClient(command, async (client) => {
        const run = await client.getRun(runId);
        if (globalOptions(command).json) return print(output, true, run, () => ({ head: [], rows: [] }));
        const i = run.info;
        output.out(
          `run ${i.runId} (${i.runName})\n  experiment ${i.experimentId}  status ${i.status}  ${i.lifecycleStage}`,
        );
        output.out(
          `  started ${formatTime(i.startTime)}  ended ${formatTime(i.endTime)}  artifacts ${i.artifactUri}`,
        );
        const section = (title: string, rows: unknown[][], head: string[]) => {
          output.out(`\n${title}`);
          print(output, false, rows, () => ({ head, rows }));
        };
        section(
          'params',
          run.data.params.map((p) => [p.key, p.value]),
          ['key', 'value'],
        );
        section(
          'metrics (latest)',
          run.data.metrics.map((m) => [m.key, m.value, m.step, formatTime(m.timestamp)]),
          ['key', 'value', 'step', 'time'],
        );
        section(
          'tags',
          run.data.tags.map((t) => [t.key, t.value]),
          ['key', 'value'],
        );
        section(
          'inputs',
          run.inputs.datasetInputs.map((d) => [
            d.dataset.name,
            d.dataset.digest,
            d.dataset.source,
            entryValue(d.tags, 'mlflow.data.context'),
          ]),
          ['dataset', 'digest', 'source', 'context'],
        );
      }),
    );

  runs
    .command('compare <runIds...>')
    .description('compare runs side by side: params and latest metrics')
    .action(async (runIds: string[], _options: object, command: Command) =>
      withClient(command, async (client) => {
        const loaded = await Promise.all(runIds.map((id) => client.getRun(id)));
        const params = [...new Set(loaded.flatMap((r) => r.data.params.map((p) => p.key)))].sort();
        const metrics = [...new Set(loaded.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
        const rows = [
          ...params.map((k) => [`param ${k}`, ...loaded.map((r) => entryValue(r.data.params, k))]),
          ...metrics.map((k) => [`metric ${k}`, ...loaded.map((r) => entryValue(r.data.metrics, k))]),
        ];
        const differing = rows.filter((row) => new Set(row.slice(1).map(String)).size > 1).length;
        print(output, Boolean(globalOptions(command).json), loaded, () => ({
          head: ['', ...loaded.map((r) => `${r.info.runName} (${r.info.runId.slice(0, 8)})`)],
          rows,
        }));
        if (!globalOptions(command).json) output.out(`${differing} of ${rows.length} rows differ`);
      }),
    );

  runs
    .command('rm <runIds...>')
    .description('delete runs (restorable)')
    .action(async (runIds: string[], _options: object, command: Command) =>
      withClient(command, async (client) => {
        for (const id of runIds) await client.deleteRun(id);
        output.out(`deleted ${runIds.length} run(s)`);
      }),
    );

  runs
    .command('restore <runIds...>')
    .description('restore deleted runs')
    .action(async (runIds: string[], _options: object, command: Command) =>
      withClient(command, async (client) => {
        for (const id of runIds) await client.restoreRun(id);
        output.out(`restored ${runIds.length} run(s)`);
      }),
    );
}
