import { join } from 'node:path';
import type { Command } from 'commander';
import { type OspreyClient, registerModel } from '../../client/index.js';
import type { FetchModelDeps } from '../../models/index.js';
import { globalOptions, withClient } from '../context.js';
import { formatTime, type Output, print } from '../output.js';

// Where `models:/` and `runs:/` URIs are fetched to, through this client.
function fetchDeps(command: Command, client: OspreyClient): FetchModelDeps {
  const home = globalOptions(command).home ?? process.env.OSPREY_HOME ?? '.';
  return {
    cacheDir: join(home, '.osprey', 'models'),
    tracking: client,
    resolveModel: (uri) => client.resolveModel(uri),
  };
}

/** `osprey models register|ls|show|alias|predict|rm`. */
export function modelsCommand(program: Command, output: Output) {
  const models = program.command('models').description('the model registry: versions, aliases, lineage');

  models
    .command('register <source> <name>')
    .description('register a model (e.g. runs:/<run>/model) as a new version of <name>')
    .option('--description <text>', 'version description')
    .action(async (source: string, name: string, options: { description?: string }, command: Command) =>
      withClient(command, async (client) => {
        // Only a source that is a readable model package gets registered (nothing half-way): fetch it
        // and read its manifest first. A local path is registered as the absolute directory.
        const { fetchModel, readModelPackage } = await import('../../models/index.js');
        const fetched = await fetchModel(source, fetchDeps(command, client));
        await readModelPackage(fetched.dir);
        const target = fetched.runId !== undefined || source.startsWith('models:/') ? source : fetched.dir;
        const version = await registerModel(client, target, name, { description: options.description });
        if (globalOptions(command).json) return print(output, true, version, () => ({ head: [], rows: [] }));
        output.out(`registered ${name} version ${version.version} (models:/${name}/${version.version})`);
      }),
    );

  models
    .command('ls')
    .description('list registered models')
    .option('--filter <filter>', 'e.g. "name LIKE \'fraud%\'"')
    .action(async (options: { filter?: string }, command: Command) =>
      withClient(command, async (client) => {
        const { items } = await client.searchRegisteredModels({ filter: options.filter, maxResults: 1000 });
        print(output, Boolean(globalOptions(command).json), items, () => ({
          head: ['name', 'latest versions', 'aliases', 'updated'],
          rows: items.map((m) => [
            m.name,
            m.latestVersions.map((v) => `${v.version} (${v.currentStage})`).join(', '),
            m.aliases.map((a) => `@${a.alias}→${a.version}`).join(', '),
            formatTime(m.lastUpdatedTimestamp),
          ]),
        }));
      }),
    );

  models
    .command('show <model>')
    .description('show a model (name), or one version with its lineage (name/3, name@champion, models:/…)')
    .action(async (model: string, _options: object, command: Command) =>
      withClient(command, async (client) => {
        const json = Boolean(globalOptions(command).json);
        if (!/[/@]/.test(model)) {
          const registered = await client.getRegisteredModel(model);
          const { items } = await client.searchModelVersions({
            filter: `name = '${model.replace(/'/g, "\\'")}'`,
            maxResults: 1000,
          });
          if (json)
            return print(output, true, { ...registered, versions: items }, () => ({ head: [], rows: [] }));
          output.out(`${registered.name}${registered.description ? ` — ${registered.description}` : ''}`);
          return print(output, false, items, () => ({
            head: ['version', 'stage', 'aliases', 'source', 'run', 'created'],
            rows: items.map((v) => [
              v.version,
              v.currentStage,
              v.aliases.join(', '),
              v.source,
              v.runId,
              formatTime(v.creationTimestamp),
            ]),
          }));
        }
        const uri = model.startsWith('models:/') ? model : `models:/${model}`;
        const version = await client.resolveModel(uri);
        const lineage = await client.getModelVersionLineage(version.name, version.version);
        if (json) return print(output, true, lineage, () => ({ head: [], rows: [] }));
        output.out(
          `${version.name} version ${version.version} (${version.currentStage}) ${version.aliases.map((a) => `@${a}`).join(' ')}`,
        );
        output.out(`  source ${version.source}`);
        const run = lineage.run;
        if (!run) return output.out('  no run recorded');
        output.out(`  run ${run.runId} (${run.runName}) in experiment ${run.experimentId}`);
        output.out(
          `  git ${run.gitCommit ?? 'unknown'}${run.gitBranch ? ` on ${run.gitBranch}` : ''}${run.gitDirty ? ' (dirty)' : ''}`,
        );
        print(output, false, run.params, () => ({
          head: ['param', 'value'],
          rows: run.params.map((p) => [p.key, p.value]),
        }));
        print(output, false, run.metrics, () => ({
          head: ['metric', 'value'],
          rows: run.metrics.map((m) => [m.key, m.value]),
        }));
        print(output, false, run.datasets, () => ({
          head: ['dataset', 'digest', 'source', 'context'],
          rows: run.datasets.map((d) => [d.name, d.digest, d.source, d.context]),
        }));
      }),
    );

  models
    .command('alias <name> <alias> [version]')
    .description('point an alias at a version, or remove it with --delete')
    .option('--delete', 'remove the alias')
    .action(
      async (
        name: string,
        alias: string,
        version: string | undefined,
        options: { delete?: boolean },
        command: Command,
      ) =>
        withClient(command, async (client) => {
          if (options.delete) {
            await client.deleteModelAlias(name, alias);
            return output.out(`removed ${name}@${alias}`);
          }
          if (!version)
            throw Object.assign(new Error('a version is required (or --delete)'), { exitCode: 2 });
          const target = await client.setModelAlias(name, alias, version);
          output.out(`${name}@${alias} → version ${target.version}`);
        }),
    );

  models
    .command('predict <uri>')
    .description('run a model (runs:/…, models:/name@alias, models:/name/3 or a path) on a CSV or JSON file')
    .requiredOption(
      '-i, --input <file>',
      'a .csv (header = column names) or .json file (rows, MLflow or OIP bodies)',
    )
    .option('-o, --output <file>', 'write predictions as JSON here instead of printing them')
    .action(async (uri: string, options: { input: string; output?: string }, command: Command) =>
      withClient(command, async (client) => {
        const { predictFile } = await import('../../models/index.js');
        const result = await predictFile(
          { uri, inputPath: options.input, outputPath: options.output },
          { ...fetchDeps(command, client), print: (t) => output.out(t.trimEnd()) },
        );
        if (options.output) output.err(`wrote ${result.count} prediction(s) to ${options.output}`);
      }),
    );

  models
    .command('rm <name> [version]')
    .description('delete a model version, or the whole model with all its versions')
    .action(async (name: string, version: string | undefined, _options: object, command: Command) =>
      withClient(command, async (client) => {
        if (version) await client.deleteModelVersion(name, version);
        else await client.deleteRegisteredModel(name);
        output.out(version ? `deleted ${name} version ${version}` : `deleted model ${name}`);
      }),
    );
}
