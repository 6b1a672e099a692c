import type { Command } from 'commander';
import { globalOptions } from '../context.js';
import type { Output } from '../output.js';

/** `osprey server`: the tracking server with the native and MLflow-compatible APIs. */
export function serverCommand(program: Command, output: Output) {
  program
    .command('server')
    .description('run the Osprey server (native API, MLflow REST API 2.0, artifact proxy, /metrics)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1, OSPREY_HOST)')
    .option('-p, --port <port>', 'port (default 5000, OSPREY_PORT)')
    .option('--blob-uri <uri>', 'artifact store: a directory or s3://bucket/prefix (OSPREY_BLOB_URI)')
    .action(async (options: { host?: string; port?: string; blobUri?: string }, command: Command) => {
      const [{ resolveConfig }, { createOsprey }, { buildServer }] = await Promise.all([
        import('../../config/index.js'),
        import('../../app/index.js'),
        import('../../server/index.js'),
      ]);
      const flags = globalOptions(command);
      const config = resolveConfig(
        {
          home: flags.home,
          dbUrl: flags.db,
          host: options.host,
          port: options.port,
          blobUri: options.blobUri,
        },
        process.env,
      );
      const osprey = await createOsprey(config);
      const app = await buildServer(osprey);
      const stop = async () => {
        await app.close();
        await osprey.close();
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      osprey.runMonitorSchedules((error, monitor) =>
        app.log.error({ err: error, monitor }, 'monitor evaluation failed'),
      );
      output.err(
        `osprey server listening on ${address} (database ${config.dbUrl.replace(/\/\/[^@]*@/, '//***@')})`,
      );
      // Keep the command pending until the server closes.
      await new Promise<void>((resolve) => app.server.once('close', resolve));
    });
}
