// Copies the non-TypeScript files the compiled code reads at run time from src/ into dist/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ASSETS = ['serving/protocol/inference.proto'];

for (const asset of ASSETS) {
  const target = join('dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join('src', asset), target);
}
