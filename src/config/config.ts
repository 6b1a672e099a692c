import { resolve } from 'node:path';
import { invalidArgument } from '../errors/index.js';

/** Everything Osprey needs to start, resolved once (flags > environment > defaults) and frozen. */
export interface OspreyConfig {
  /** Directory holding `.osprey/` (database, blobs) for the embedded default. */
  readonly home: string;
  /** `sqlite:<path>` or `postgres://…`. */
  readonly dbUrl: string;
  /** Blob store URI: a directory path, `file://…` or `s3://bucket/prefix`. */
  readonly blobUri: string;
  readonly s3: Readonly<{ endpoint?: string; region?: string; forcePathStyle?: boolean }>;
  readonly server: Readonly<{ host: string; port: number; bodyLimitBytes: number }>;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where served deployments' payload logs go: `store:` (the metadata database), `nats://…`, `http(s)://…`. */
  readonly payloadSink: string;
}

export interface ConfigInput {
  home?: string;
  dbUrl?: string;
  blobUri?: string;
  host?: string;
  port?: number | string;
  logLevel?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Resolves flags over environment over defaults into one frozen config. */
export function resolveConfig(flags: ConfigInput = {}, env: Env = {}, cwd = '.'): OspreyConfig {
  const home = resolve(cwd, flags.home ?? env.OSPREY_HOME ?? '.');
  const stateDir = resolve(home, '.osprey');
  const port = Number(flags.port ?? env.OSPREY_PORT ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument(`invalid port: ${port}`);
  const logLevel = flags.logLevel ?? env.OSPREY_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw invalidArgument(`invalid log level: ${logLevel}`);
  return deepFreeze({
    home,
    dbUrl: flags.dbUrl ?? env.OSPREY_DB_URL ?? `sqlite:${resolve(stateDir, 'osprey.db')}`,
    blobUri: flags.blobUri ?? env.OSPREY_BLOB_URI ?? resolve(stateDir, 'blobs'),
    s3: {
      endpoint: env.OSPREY_S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
      forcePathStyle: env.OSPREY_S3_FORCE_PATH_STYLE === 'true' ? true : undefined,
    },
    server: {
      host: flags.host ?? env.OSPREY_HOST ?? '127.0.0.1',
      port,
      bodyLimitBytes: Number(env.OSPREY_BODY_LIMIT_BYTES ?? 16 * 1024 * 1024),
    },
    logLevel,
    payloadSink: env.OSPREY_PAYLOAD_SINK ?? 'store:',
  });
}

function isLogLevel(value: string): value is OspreyConfig['logLevel'] {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
