import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createOsprey, type Osprey } from '../../src/app/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { OUT_DIR } from './databases.js';

let home: string | undefined;

/** This process's Osprey home under bench/out (blobs would go there), removed when the process exits. */
function benchHome(): string {
  if (!home) {
    const dir = join(OUT_DIR, `home-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    home = dir;
  }
  return home;
}

/** An Osprey on a database URL, through the same composition root the CLI and server use; no logging. */
export async function openOsprey(dbUrl: string): Promise<Osprey> {
  return createOsprey(resolveConfig({ dbUrl, home: benchHome(), logLevel: 'silent' }, {}));
}
