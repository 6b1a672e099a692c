import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRng, makeMoons } from '../models/trainers/index.js';

export interface DemoData {
  train: { X: number[][]; y: number[] };
  test: { X: number[][]; y: number[] };
  /** Where the training data was written, and the sha256 of its bytes (the dataset digest). */
  path: string;
  digest: string;
}

/** Two interleaving half moons, split 80/20, with the training split written as CSV for lineage. */
export async function makeDemoData(path: string, seed = 7): Promise<DemoData> {
  const moons = makeMoons({ nSamples: 2000, noise: 0.3, seed });
  // make_moons lists one class after the other: shuffle before splitting.
  const order = shuffled(moons.X.length, seed);
  const X = order.map((i) => moons.X[i]!);
  const y = order.map((i) => moons.y[i]!);
  const cut = Math.floor(X.length * 0.8);
  const train = { X: X.slice(0, cut), y: y.slice(0, cut) };
  const test = { X: X.slice(cut), y: y.slice(cut) };
  const csv = `x1,x2,label\n${train.X.map((row, i) => `${row[0]},${row[1]},${train.y[i]}`).join('\n')}\n`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, csv);
  return { train, test, path, digest: `sha256:${createHash('sha256').update(csv).digest('hex')}` };
}

/** Accuracy and log loss of predicted probabilities of class 1. */
export function scoreClassifier(
  probabilities: number[][],
  labels: number[],
): { accuracy: number; logLoss: number } {
  let correct = 0;
  let loss = 0;
  probabilities.forEach((p, i) => {
    const positive = Math.min(Math.max(p[1] ?? 0, 1e-15), 1 - 1e-15);
    if ((positive >= 0.5 ? 1 : 0) === labels[i]) correct += 1;
    loss -= labels[i] === 1 ? Math.log(positive) : Math.log(1 - positive);
  });
  return { accuracy: correct / labels.length, logLoss: loss / labels.length };
}

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
