import { join } from 'node:path';
import type { Command } from 'commander';
import { globalOptions, withClient } from '../context.js';
import type { Output } from '../output.js';

/** `osprey demo`: the quick-start job on the embedded store (or a server with --tracking-uri). */
export function demoCommand(program: Command, output: Output) {
  program
    .command('demo')
    .description('train and track a small model sweep, then register the best model')
    .action(async (_options: object, command: Command) =>
      withClient(command, async (client) => {
        const { runDemo } = await import('../../demo/index.js');
        const home = globalOptions(command).home ?? process.env.OSPREY_HOME ?? '.';
        output.out('training a sweep of classifiers on the two-moons data set…');
        const result = await runDemo(client, {
          dataDir: join(home, '.osprey', 'demo'),
          log: (line) => output.out(line),
        });
        output.out(
          `\nbest: ${result.best.name} (accuracy ${result.best.accuracy.toFixed(3)}), run ${result.best.runId}`,
        );
        output.out(`registered models:/${result.registered.name}/${result.registered.version} as @champion`);
        output.out('\nnext:');
        output.out(`  npx osprey runs ls -e osprey-demo --order-by "metrics.test_accuracy DESC"`);
        output.out(`  npx osprey models show ${result.registered.name}@champion`);
        output.out(
          '  npx osprey server        # then open http://127.0.0.1:5000/api/openapi.json, or point MLflow clients at it',
        );
      }),
    );
}
