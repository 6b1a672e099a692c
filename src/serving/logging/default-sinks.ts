import { invalidArgument } from '../../errors/index.js';
import { createHttpSink } from './http-sink.js';
import { createNatsSink } from './nats-sink.js';
import type { PayloadLogStore } from './payload-log-store.js';
import { createPayloadSinkRegistry, type PayloadSinkRegistry } from './payload-sink.js';
import { createStoreSink } from './store-sink.js';

/** The sink Osprey logs to unless told otherwise: the embedded store. */
export const DEFAULT_PAYLOAD_SINK = 'store:';

/**
 * A registry of the built-in sinks: `store:` (the embedded store, needs `store`), `nats://host:4222`
 * (JetStream) and `http(s)://…` (CloudEvents over HTTP). Add more with `register`.
 */
export function createDefaultPayloadSinks(deps: { store?: PayloadLogStore } = {}): PayloadSinkRegistry {
  const http = (url: URL) => createHttpSink(url);
  return createPayloadSinkRegistry({
    store: (url) => {
      if (deps.store === undefined) throw invalidArgument('the store: payload sink needs a database');
      if (url.pathname !== '' || url.hash !== '')
        throw invalidArgument(`the store: payload sink takes no options`);
      return createStoreSink(deps.store);
    },
    nats: (url) => createNatsSink(url),
    http,
    https: http,
  });
}
