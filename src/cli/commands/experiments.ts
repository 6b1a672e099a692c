import type { Command } from 'commander';
import type { Experiment } from '../../client/index.js';
import { experimentIdOf, globalOptions, keyValue, withClient } from '../context.js';
import { formatTime, type Output, print } from '../output.js';

/** `osprey experiments ls|create|rm|restore`. */
export function experimentsCommand(program: Command, output: Output) {
  const experiments = program.command('experiments').alias('exp').description('manage experiments');

  experiments
    .command('ls')
    .description('list experiments')
    .option('--all', 'include deleted experiments')
    .option('--deleted', 'only deleted experiments')
    .option('--filter <filter>', 'filter, e.g. "name LIKE \'fraud%\'"')
    .action(async (options: { all?: boolean; deleted?: boolean; filter?: string }, command: Command) =>
      withClient(command, async (client) => {
        const viewType = options.all ? 'ALL' : options.deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY';
        const items: Experiment[] = [];
        let pageToken: string | undefined;
        do {
          const page = await client.searchExperiments({ viewType, filter: options.filter, pageToken });
          items.push(...page.items);
          pageToken = page.nextPageToken;
        } while (pageToken);
        print(output, Boolean(globalOptions(command).json), items, () => ({
          head: ['id', 'name', 'stage', 'created', 'artifact location'],
          rows: items.map((e) => [
            e.experimentId,
            e.name,
            e.lifecycleStage,
            formatTime(e.creationTime),
            e.artifactLocation,
          ]),
        }));
      }),
    );

  experiments
    .command('create <name>')
    .description('create an experiment')
    .option('--artifact-location <uri>', 'where its artifacts go')
    .option('--tag <key=value>', 'a tag (repeatable)', keyValue)
    .action(
      async (
        name: string,
        options: { artifactLocation?: string; tag?: { key: string; value: string }[] },
        command: Command,
      ) =>
        withClient(command, async (client) => {
          const experimentId = await client.createExperiment({
            name,
            artifactLocation: options.artifactLocation,
            tags: options.tag,
          });
          if (globalOptions(command).json) output.out(JSON.stringify({ experimentId }));
          else output.out(`created experiment '${name}' with id ${experimentId}`);
        }),
    );

  experiments
    .command('rm <experiment>')
    .description('delete an experiment (by id or name) and its runs; restorable')
    .action(async (experiment: string, _options: object, command: Command) =>
      withClient(command, async (client) => {
        const id = await experimentIdOf(client, experiment);
        await client.deleteExperiment(id);
        output.out(`deleted experiment ${id}`);
      }),
    );

  experiments
    .command('restore <experimentId>')
    .description('restore a deleted experiment')
    .action(async (experimentId: string, _options: object, command: Command) =>
      withClient(command, async (client) => {
        await client.restoreExperiment(experimentId);
        output.out(`restored experiment ${experimentId}`);
      }),
    );
}
