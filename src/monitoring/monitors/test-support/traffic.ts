// Seeded synthetic traffic for monitor tests: reference CSVs and logged requests/responses written
// into the payload log through the real store.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, type Rng } from '../../../random/index.js';
import {
  type CloudEvent,
  constantAttributes,
  type PayloadLogStore,
  toCloudEvent,
} from '../../../serving/logging/index.js';

export const T0 = Date.UTC(2026, 0, 1);

/** Rows of (a, b, c): a, b standard normal (a shifted by `shift`), c a category of three. */
export function sampleRows(rng: Rng, n: number, shift = 0): [number, number, string][] {
  return Array.from({ length: n }, () => [
    rng.normal() + shift,
    rng.normal(),
    ['x', 'y', 'z'][rng.int(3)] as string,
  ]);
}

/** A reference CSV with columns a, b, c of `n` rows; returns its path. */
export function writeReference(dir: string, n: number, seed: number, file = `reference-${seed}.csv`): string {
  const rng = createRng(seed);
  const lines = ['a,b,c', ...sampleRows(rng, n).map((r) => r.join(','))];
  const path = join(dir, file);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export interface Labels {
  deployment: string;
  version?: string;
}

/** One logged request: tensor x [batch, 2] (a, b) and BYTES tensor c [batch]. */
export function requestEvent(
  labels: Labels,
  id: string,
  time: number,
  rows: readonly (readonly unknown[])[],
): CloudEvent {
  return toCloudEvent(
    {
      kind: 'request',
      time,
      request: {
        id,
        inputs: {
          x: {
            datatype: 'FP64',
            shape: [rows.length, 2],
            data: rows.flatMap((r) => [r[0], r[1]]) as number[],
          },
          c: { datatype: 'BYTES', shape: [rows.length], data: rows.map((r) => r[2]) as string[] },
        },
      },
    },
    constantAttributes({
      deployment: labels.deployment,
      node: 'scorer',
      model: 'scorer',
      version: labels.version ?? '1',
    }),
  );
}

/** One logged response with probabilities `p` [batch]. */
export function responseEvent(labels: Labels, id: string, time: number, p: readonly number[]): CloudEvent {
  return toCloudEvent(
    {
      kind: 'response',
      time,
      request: { id, inputs: {} },
      response: {
        id,
        modelName: 'scorer',
        modelVersion: labels.version ?? '1',
        outputs: { p: { datatype: 'FP64', shape: [p.length], data: Float64Array.from(p) } },
      },
      latencyMs: 1,
    },
    constantAttributes({
      deployment: labels.deployment,
      node: 'scorer',
      model: 'scorer',
      version: labels.version ?? '1',
    }),
  );
}

/**
 * Appends `requests` requests of `batch` rows, one per second from `start`, each drawn with
 * `shift` on feature a; returns the time after the last one.
 */
export async function logTraffic(
  store: PayloadLogStore,
  labels: Labels,
  rng: Rng,
  options: { start: number; requests: number; batch: number; shift?: number; prefix: string },
): Promise<number> {
  const events: CloudEvent[] = [];
  for (let i = 0; i < options.requests; i++) {
    const rows = sampleRows(rng, options.batch, options.shift ?? 0);
    events.push(requestEvent(labels, `${options.prefix}-${i}`, options.start + i * 1000, rows));
  }
  await store.append(events);
  return options.start + options.requests * 1000;
}

/**
 * An hour ago, `quiet` requests of 10 rows from the reference distribution, then `drifted` requests
 * with feature a shifted by one standard deviation (ids `q-…` then `d-…`).
 */
export async function logQuietThenDrifted(
  store: PayloadLogStore,
  deployment: string,
  options: { quiet?: number; drifted?: number; seed?: number } = {},
): Promise<void> {
  const rng = createRng(options.seed ?? 3);
  const start = Date.now() - 3_600_000;
  const quietEnd = await logTraffic(store, { deployment }, rng, {
    start,
    requests: options.quiet ?? 20,
    batch: 10,
    prefix: 'q',
  });
  await logTraffic(store, { deployment }, rng, {
    start: quietEnd,
    requests: options.drifted ?? 30,
    batch: 10,
    shift: 1,
    prefix: 'd',
  });
}
