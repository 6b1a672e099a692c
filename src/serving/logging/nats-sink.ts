import type { JetStreamManager, NatsConnection, StreamConfig } from 'nats';
import { OspreyError } from '../../errors/index.js';
import { type CloudEvent, EXTENSIONS } from './cloud-event.js';
import { fragmentOptions, numberOption, type PayloadSink, redactUri } from './payload-sink.js';

export interface NatsSinkOptions {
  /** JetStream stream name (default `OSPREY_PAYLOADS`); created when absent. */
  stream?: string;
  /** Subject prefix (default `osprey.payloads`): events go to `<prefix>.<deployment>.<kind>`. */
  subject?: string;
  /** Stream retention: drop events older than this (default: kept until `maxBytes` or forever). */
  maxAgeMs?: number;
  maxBytes?: number;
  connectTimeoutMs?: number;
  /** How long to wait for each publish acknowledgement. */
  ackTimeoutMs?: number;
}

const FRAGMENT_OPTIONS = [
  'stream',
  'subject',
  'maxAgeMs',
  'maxBytes',
  'connectTimeoutMs',
  'ackTimeoutMs',
] as const;
// JetStream's API error code for "stream not found" (nats-server `server/jetstream_errors_generated.go`).
const STREAM_NOT_FOUND = 10059;

/**
 * A sink publishing each event to NATS JetStream in CloudEvents structured mode (JSON body,
 * `content-type: application/cloudevents+json`), with `Nats-Msg-Id` = event id so the stream drops a
 * retried duplicate inside its duplicate window. URI `nats://[user:pass@]host:4222[#stream=…&subject=…]`.
 */
export async function createNatsSink(url: URL, options: NatsSinkOptions = {}): Promise<PayloadSink> {
  const fromUri = fragmentOptions(url, FRAGMENT_OPTIONS);
  const stream = options.stream ?? fromUri.stream ?? 'OSPREY_PAYLOADS';
  const prefix = options.subject ?? fromUri.subject ?? 'osprey.payloads';
  const ackTimeoutMs = options.ackTimeoutMs ?? numberOption(fromUri, 'ackTimeoutMs', 5000);
  const uri = redactUri(url);
  // Loaded on first use, so a deployment that logs elsewhere never loads the NATS client.
  const { connect, headers, nanos, StringCodec } = await import('nats');
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: `${url.hostname}:${url.port || '4222'}`,
      ...(url.username !== '' ? { user: decodeURIComponent(url.username) } : {}),
      ...(url.password !== '' ? { pass: decodeURIComponent(url.password) } : {}),
      timeout: options.connectTimeoutMs ?? numberOption(fromUri, 'connectTimeoutMs', 5000),
      maxReconnectAttempts: -1, // keep trying: publishes fail meanwhile and the logger retries them
    });
  } catch (error) {
    throw new OspreyError('UNAVAILABLE', `cannot reach NATS at ${uri}: ${(error as Error).message}`);
  }
  try {
    const limits: Partial<StreamConfig> = {};
    const maxAgeMs = options.maxAgeMs ?? numberOption(fromUri, 'maxAgeMs', 0);
    if (maxAgeMs > 0) limits.max_age = nanos(maxAgeMs);
    const maxBytes = options.maxBytes ?? numberOption(fromUri, 'maxBytes', 0);
    if (maxBytes > 0) limits.max_bytes = maxBytes;
    await ensureStream(await nc.jetstreamManager(), stream, `${prefix}.>`, limits);
  } catch (error) {
    await nc.close();
    throw new OspreyError(
      'UNAVAILABLE',
      `cannot set up JetStream stream ${stream}: ${(error as Error).message}`,
    );
  }
  const js = nc.jetstream();
  const codec = StringCodec();
  return {
    uri,
    async write(events) {
      // Publish the whole batch before awaiting: acknowledgements pipeline over one connection.
      await Promise.all(
        events.map((event) => {
          const h = headers();
          h.set('content-type', 'application/cloudevents+json');
          return js.publish(subjectOf(prefix, event), codec.encode(JSON.stringify(event)), {
            msgID: event.id,
            headers: h,
            timeout: ackTimeoutMs,
          });
        }),
      );
    },
    async close() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

/** Creates the stream, or adds the subject filter to an existing stream that lacks it. */
async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  filter: string,
  limits: Partial<StreamConfig>,
): Promise<void> {
  try {
    const info = await jsm.streams.info(name);
    if (!(info.config.subjects ?? []).includes(filter))
      await jsm.streams.update(name, { ...info.config, subjects: [...(info.config.subjects ?? []), filter] });
  } catch (error) {
    if ((error as { api_error?: { err_code?: number } }).api_error?.err_code !== STREAM_NOT_FOUND)
      throw error;
    await jsm.streams.add({ name, subjects: [filter], ...limits });
  }
}

// Subject tokens cannot hold '.', '*', '>' or whitespace (NATS subject rules).
function token(value: unknown): string {
  const text = typeof value === 'string' && value !== '' ? value : '_';
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** `<prefix>.<deployment>.<kind>`, so a consumer can filter by deployment and by request/response. */
export function subjectOf(prefix: string, event: CloudEvent): string {
  const kind = event.type.slice(event.type.lastIndexOf('.') + 1);
  return `${prefix}.${token(event[EXTENSIONS.deployment])}.${token(kind)}`;
}
