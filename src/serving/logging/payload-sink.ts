import { invalidArgument } from '../../errors/index.js';
import type { CloudEvent } from './cloud-event.js';

/** Where payload events go. One interface, implementations chosen by URI scheme (see `PayloadSinkRegistry`). */
export interface PayloadSink {
  /** The sink's URI with any credentials removed (safe for logs and metric labels). */
  readonly uri: string;
  /**
   * Stores or sends a batch. Rejects when the batch was not accepted as a whole; the logger then retries the
   * same events (same ids), so sinks deduplicate on the event id or accept duplicates.
   */
  write(events: readonly CloudEvent[], options?: { signal?: AbortSignal }): Promise<void>;
  close(): Promise<void>;
}

/** Opens a sink for a URI of the scheme it is registered under. */
export type PayloadSinkFactory = (uri: URL) => PayloadSink | Promise<PayloadSink>;

/** Sinks by URI scheme, as MLflow picks stores and Osprey picks blob stores. */
export interface PayloadSinkRegistry {
  /** Adds or replaces the factory for `scheme` (without the colon, e.g. `kafka`). */
  register(scheme: string, factory: PayloadSinkFactory): void;
  schemes(): string[];
  /** Opens the sink `uri` names; INVALID_ARGUMENT for a malformed URI or an unknown scheme. */
  open(uri: string): Promise<PayloadSink>;
}

/** A registry over the given factories (keys are schemes without the colon). */
export function createPayloadSinkRegistry(
  factories: Record<string, PayloadSinkFactory> = {},
): PayloadSinkRegistry {
  const table = new Map<string, PayloadSinkFactory>(Object.entries(factories));
  return {
    register(scheme, factory) {
      if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) throw invalidArgument(`'${scheme}' is not a URI scheme`);
      table.set(scheme, factory);
    },
    schemes: () => [...table.keys()].sort(),
    async open(uri) {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw invalidArgument(
          `payload sink '${uri}' is not a URI (e.g. store:, nats://host:4222, https://host/path)`,
        );
      }
      const scheme = url.protocol.slice(0, -1);
      const factory = table.get(scheme);
      if (factory === undefined)
        throw invalidArgument(
          `no payload sink for scheme '${scheme}:' (known: ${[...table.keys()].join(', ')})`,
        );
      return factory(url);
    },
  };
}

/** Options a sink URI carries in its fragment (`#mode=binary&timeoutMs=5000`): never sent anywhere. */
export function fragmentOptions(url: URL, known: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(url.hash.slice(1))) {
    if (!known.includes(key))
      throw invalidArgument(`unknown option '${key}' in payload sink URI (known: ${known.join(', ')})`);
    options[key] = value;
  }
  return options;
}

/** A positive number option, or the default when absent. */
export function numberOption(options: Record<string, string>, key: string, fallback: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw invalidArgument(`option ${key} must be a positive number`);
  return value;
}

/** The URI without user info or fragment, for logs and labels. */
export function redactUri(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  return copy.href;
}
