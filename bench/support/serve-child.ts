// Child process entry: an Osprey server on 127.0.0.1 (ephemeral port) over the database URL in argv[2].
// The server runs in its own process so the load generator does not share its event loop or core.
import { buildServer } from '../../src/server/index.js';
import { openOsprey } from './osprey.js';

const dbUrl = process.argv[2];
if (!dbUrl) throw new Error('usage: serve-child.ts <db-url>');
const osprey = await openOsprey(dbUrl);
const app = await buildServer(osprey, { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no TCP address');
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await app.close();
  await osprey.close();
  // A normal exit, so that --cpu-prof writes its profile.
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
