import type { Command } from 'commander';
import type { OspreyClient, TrackingClient } from '../client/index.js';

/** Flags every command accepts for choosing the store. */
export interface GlobalOptions {
  trackingUri?: string;
  home?: string;
  db?: string;
  json?: boolean;
}

/** The global options as seen from a subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Opens a tracking client from the global flags, runs `work`, and always closes it. */
export async function withClient<T>(
  command: Command,
  work: (client: OspreyClient) => Promise<T>,
): Promise<T> {
  const { connect } = await import('../client/index.js');
  const options = globalOptions(command);
  const client = await connect({ trackingUri: options.trackingUri, home: options.home, dbUrl: options.db });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** Resolves an experiment given by id or by name. */
export async function experimentIdOf(client: TrackingClient, idOrName: string): Promise<string> {
  if (/^\d+$/.test(idOrName)) return idOrName;
  return (await client.getExperimentByName(idOrName)).experimentId;
}

/** Collects repeatable `key=value` flags. */
export function keyValue(value: string, previous: { key: string; value: string }[] = []) {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`expected key=value, got '${value}'`);
  return [...previous, { key: value.slice(0, eq), value: value.slice(eq + 1) }];
}

/** Collects a repeatable flag into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
