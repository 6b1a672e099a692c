import { createOsprey } from '../app/index.js';
import { resolveConfig } from '../config/index.js';
import { createEmbeddedClient } from './embedded-client.js';
import { createHttpClient } from './http-client.js';
import type { OspreyClient } from './tracking-client.js';

export interface ConnectOptions {
  /** `http(s)://…` for a server; otherwise the embedded store (default `OSPREY_TRACKING_URI`, then local). */
  trackingUri?: string;
  /** For the embedded store: the directory holding `.osprey/` (default `OSPREY_HOME` or the cwd). */
  home?: string;
  /** For the embedded store: a database URL (`sqlite:…` or `postgres://…`). */
  dbUrl?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Opens a tracking client: remote when given an HTTP URL, embedded on the local store otherwise. */
export async function connect(options: ConnectOptions = {}): Promise<OspreyClient> {
  const env = options.env ?? process.env;
  const uri = options.trackingUri ?? env.OSPREY_TRACKING_URI;
  if (uri && /^https?:\/\//.test(uri)) return createHttpClient(uri);
  const config = resolveConfig({ home: options.home, dbUrl: options.dbUrl }, env);
  return createEmbeddedClient(await createOsprey(config), { ownsOsprey: true });
}
