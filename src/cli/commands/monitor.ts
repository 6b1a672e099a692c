import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Monitoring } from '../../monitoring/index.js';
import { globalOptions } from '../context.js';
import { formatTime, type Output, print } from '../output.js';

/** Opens the local store's monitoring service (monitors read the payload log in the metadata database). */
async function withMonitoring<T>(command: Command, work: (monitoring: Monitoring) => Promise<T>): Promise<T> {
  const flags = globalOptions(command);
  if (flags.trackingUri)
    throw new Error('osprey monitor works on the metadata database: use --db or --home, not --tracking-uri');
  const [{ resolveConfig }, { createOsprey }] = await Promise.all([
    import('../../config/index.js'),
    import('../../app/index.js'),
  ]);
  const osprey = await createOsprey(resolveConfig({ home: flags.home, dbUrl: flags.db }, process.env));
  try {
    return await work(osprey.monitoring);
  } finally {
    await osprey.close();
  }
}

/** `osprey monitor ls|show|alerts|run`. */
export function monitorCommand(program: Command, output: Output) {
  const monitor = program
    .command('monitor')
    .description('watch deployments: drift, outliers, performance, alerts');
  const json = (command: Command) => Boolean(globalOptions(command).json);

  monitor
    .command('ls')
    .description('list monitors')
    .action(async (_options: object, command: Command) =>
      withMonitoring(command, async (monitoring) => {
        const items = await monitoring.listMonitors();
        const rows = items.map((m) => ({
          name: m.name,
          deployment: m.deployment,
          detectors: m.spec.detectors.map((d) => d.name),
          window: m.spec.window,
          updated: m.updatedTime,
        }));
        print(output, json(command), rows, () => ({
          head: ['name', 'deployment', 'detectors', 'updated'],
          rows: rows.map((r) => [r.name, r.deployment, r.detectors.join(', '), formatTime(r.updated)]),
        }));
      }),
    );

  monitor
    .command('show <name>')
    .description("a monitor's spec and its latest results")
    .option('--windows <n>', 'how many recent windows to show', '5')
    .action(async (name: string, options: { windows: string }, command: Command) =>
      withMonitoring(command, async (monitoring) => {
        const m = await monitoring.getMonitor(name);
        const results = await monitoring.listResults(name);
        const starts = [...new Set(results.map((r) => r.windowStart))].slice(-Number(options.windows));
        const recent = results.filter((r) => starts.includes(r.windowStart));
        if (json(command)) {
          print(
            output,
            true,
            { name: m.name, deployment: m.deployment, spec: m.spec, results: recent },
            () => ({ head: [], rows: [] }),
          );
          return;
        }
        output.out(`monitor ${m.name} on deployment ${m.deployment}`);
        print(output, false, recent, () => ({
          head: ['window start', 'window end', 'metric', 'version', 'rows', 'value', 'p-value', 'detected'],
          rows: recent.map((r) => [
            formatTime(r.windowStart),
            formatTime(r.windowEnd),
            r.metric,
            r.modelVersion || '*',
            r.rows,
            r.value,
            r.pValue,
            r.detected === null ? '' : r.detected ? 'yes' : 'no',
          ]),
        }));
      }),
    );

  monitor
    .command('alerts')
    .description('alert events, newest first')
    .option('--monitor <name>', 'only this monitor')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (options: { monitor?: string; limit: string }, command: Command) =>
      withMonitoring(command, async (monitoring) => {
        const alerts = await monitoring.listAlerts({
          monitor: options.monitor,
          limit: Number(options.limit),
        });
        print(output, json(command), alerts, () => ({
          head: ['time', 'monitor', 'rule', 'value', 'window start', 'window end'],
          rows: alerts.map((a) => [
            formatTime(a.time),
            a.monitor,
            a.rule,
            a.value,
            formatTime(a.windowStart),
            formatTime(a.windowEnd),
          ]),
        }));
      }),
    );

  monitor
    .command('run')
    .description('create or update a monitor from its spec and evaluate the windows completed so far')
    .requiredOption('-f, --file <monitor.yaml>', 'the monitor spec')
    .action(async (options: { file: string }, command: Command) =>
      withMonitoring(command, async (monitoring) => {
        const { parseMonitorSpec } = await import('../../monitoring/index.js');
        let text: string;
        try {
          text = await readFile(options.file, 'utf8');
        } catch {
          throw new Error(`monitor spec not found: ${options.file}`);
        }
        const spec = parseMonitorSpec(text, options.file);
        const path = spec.reference.path;
        const resolved =
          path === undefined || isAbsolute(path)
            ? spec
            : { ...spec, reference: { path: resolve(dirname(resolve(options.file)), path) } };
        await monitoring.applyMonitor(resolved);
        const report = await monitoring.evaluate(spec.name);
        print(output, json(command), report, () => ({
          head: ['window start', 'window end', 'rows', 'detected'],
          rows: report.windows.map((w) => [
            formatTime(w.start),
            formatTime(w.end),
            w.rows,
            w.detected.join(', '),
          ]),
        }));
        if (!json(command)) {
          output.out(`${report.windows.length} window(s) evaluated, ${report.alerts.length} alert(s) raised`);
          for (const a of report.alerts) output.out(`ALERT ${a.monitor}: ${a.rule} (value ${a.value})`);
        }
      }),
    );
}
