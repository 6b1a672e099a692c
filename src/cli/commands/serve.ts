import type { Command } from 'commander';
import { globalOptions } from '../context.js';
import type { Output } from '../output.js';

interface ServeOptions {
  file: string;
  host?: string;
  port: string;
  grpcPort: string;
}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw Object.assign(new Error(`${flag} must be a port number (0-65535), got '${value}'`), {
      exitCode: 2,
    });
  return n;
}

/** `osprey serve -f deployment.yaml`: one deployment, standalone, over every protocol; SIGTERM drains and exits. */
export function serveCommand(program: Command, output: Output) {
  program
    .command('serve')
    .description('serve one deployment over OIP REST + gRPC, MLflow /invocations, Seldon v1 and KServe V1')
    .requiredOption('-f, --file <spec>', 'the deployment spec (YAML)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1, OSPREY_HOST)')
    .option('-p, --port <port>', 'HTTP port (0 picks a free one)', '8080')
    .option('--grpc-port <port>', 'gRPC port (0 picks a free one)', '8081')
    .action(async (options: ServeOptions, command: Command) => {
      const httpPort = port(options.port, '--port');
      const grpcPort = port(options.grpcPort, '--grpc-port');
      const [{ resolveConfig }, { createOsprey, createServingHost }, { loadDeploymentSpec }, host, protocol] =
        await Promise.all([
          import('../../config/index.js'),
          import('../../app/index.js'),
          import('../../serving/deployment/index.js'),
          import('../../serving/host/index.js'),
          import('../../serving/protocol/index.js'),
        ]);
      // A bad spec fails here, before anything listens.
      const spec = await loadDeploymentSpec(options.file);
      const flags = globalOptions(command);
      const config = resolveConfig({ home: flags.home, dbUrl: flags.db, host: options.host }, process.env);
      const [{ default: Fastify, LogController }, { Registry }] = await Promise.all([
        import('fastify'),
        import('prom-client'),
      ]);
      const osprey = await createOsprey(config);
      const metrics = new Registry();
      const serving = createServingHost(osprey, {
        metrics,
        onError: (error, context) => output.err(`warning: ${context}: ${(error as Error).message}`),
      });
      const app = Fastify({
        logger: { level: config.logLevel },
        logController: new LogController({ disableRequestLogging: true }),
        bodyLimit: config.server.bodyLimitBytes,
      });
      await app.register(
        host.hostRoutes(serving.host, {
          adapters: host.ADAPTERS,
          defaultModel: spec.name,
          metrics,
          bodyLimitBytes: config.server.bodyLimitBytes,
        }),
      );
      let grpc: Awaited<ReturnType<typeof protocol.startGrpcServer>> | undefined;
      const stop = async () => {
        // Fastify and gRPC stop taking requests and finish the running ones; then models unload.
        await Promise.allSettled([app.close(), grpc?.close()]);
        await serving.close();
        await osprey.close();
      };
      try {
        const address = await app.listen({ host: config.server.host, port: httpPort });
        grpc = await protocol.startGrpcServer(serving.host, { host: config.server.host, port: grpcPort });
        output.err(`osprey serve listening on ${address} (gRPC ${config.server.host}:${grpc.port})`);
        // Listening first: readiness answers 503 while the graph loads.
        await serving.host.apply(spec);
      } catch (error) {
        await stop();
        throw error;
      }
      output.err(`deployment '${spec.name}' is ready`);
      const stopped = new Promise<void>((resolve) => {
        const onSignal = () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          void stop().then(resolve);
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      await stopped;
      output.err('osprey serve stopped');
    });
}
