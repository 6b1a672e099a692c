import type { PayloadLogStore } from './payload-log-store.js';
import type { PayloadSink } from './payload-sink.js';

/** The default sink: the embedded Osprey store (`store:`), queryable with `queryPayloads` for monitoring and audit. */
export function createStoreSink(store: PayloadLogStore, uri = 'store:'): PayloadSink {
  return {
    uri,
    write: (events) => store.append(events),
    // The database belongs to the caller, who closes it.
    close: async () => {},
  };
}
