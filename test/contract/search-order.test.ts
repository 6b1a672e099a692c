// Run search order and paging against a brute-force reference, on every supported database.
// The reference is MLflow's documented order (https://mlflow.org/docs/latest/ml/search/search-runs,
// "Ordering"): each order_by term in turn, a run whose key is missing (or NaN) after every run that
// has it, in both directions; then start_time DESC, then run_id ASC. It is computed in JavaScript
// from the data this test wrote, so it does not depend on any query plan.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Osprey } from '../../src/app/index.js';
import type { Run } from '../../src/tracking/index.js';
import { createRunSearch, type RunSearchOptions } from '../../src/tracking/run-search.js';
import { dialects } from '../support/databases.js';
import { testOsprey } from '../support/osprey.js';

/** mulberry32 (Tommy Ettinger's 32-bit generator): a fixed seed gives the same data and cases every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]) => xs[int(xs.length)]!, chance: (p: number) => next() < p };
}

const T0 = 1_750_000_000_000;
// Values whose order is the same under byte order and any common collation (no case, spaces or punctuation).
const WORDS = ['a', 'ab', 'b', 'ba', 'c', '0', '10', '9', 'z1'];
const M1_VALUES = [-1, 0, 0.25, 0.5, 0.5, 1, 2.5, 1e9, Infinity, -Infinity, Number.NaN];

/** What the test knows about one run it wrote: the reference is computed from this alone. */
interface Truth {
  runId: string;
  experiment: 'A' | 'B';
  runName: string;
  startTime: number;
  endTime: number | undefined;
  status: string;
  lifecycle: 'active' | 'deleted';
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

type Value = number | string | undefined;

function valueIn(run: Truth, entity: string, key: string): Value {
  if (entity === 'metrics') {
    const v = run.metrics[key];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }
  if (entity === 'params') return run.params[key];
  if (entity === 'tags') return run.tags[key];
  return {
    start_time: run.startTime,
    end_time: run.endTime,
    run_name: run.runName,
    status: run.status,
    run_id: run.runId,
    experiment_id: run.experiment,
  }[key];
}

interface Clause {
  text: string;
  test(run: Truth): boolean;
}

/** A comparison `entity.key op literal` and its meaning: SQL semantics, so a missing value never matches. */
function compare(entity: string, key: string, op: string, literal: number | string): Clause {
  const text = `${entity}.${key} ${op} ${typeof literal === 'number' ? literal : `'${literal}'`}`;
  return {
    text,
    test(run) {
      const v = valueIn(run, entity, key);
      if (v === undefined) return false;
      switch (op) {
        case '=':
          return v === literal;
        case '!=':
          return v !== literal;
        case '>':
          return v > literal;
        case '>=':
          return v >= literal;
        case '<':
          return v < literal;
        case '<=':
          return v <= literal;
        case 'LIKE':
          return String(v).startsWith(String(literal).slice(0, -1));
        case 'ILIKE':
          return String(v).toLowerCase().startsWith(String(literal).slice(0, -1).toLowerCase());
        default:
          throw new Error(op);
      }
    },
  };
}

function randomClause(r: ReturnType<typeof seeded>, runs: Truth[]): Clause {
  switch (r.int(12)) {
    case 0:
      return compare('metrics', 'm1', r.pick(['>', '>=', '<', '<=']), r.pick([-1, 0, 0.5, 1, 2.5]));
    case 1:
      return compare('metrics', 'm1', r.pick(['=', '!=']), r.pick([0.5, 1, -1]));
    case 2:
      return compare('metrics', 'm2', r.pick(['>', '<=']), r.pick([0.1, 0.5, 0.9]));
    case 3:
      return compare('metrics', 'm3', '>=', r.pick([0, 0.5]));
    case 4:
      return compare('params', 'p1', r.pick(['=', '!=']), r.pick(WORDS));
    case 5:
      return compare('params', 'p2', r.pick(['=', '!=']), r.pick(['3', '5', '7']));
    case 6:
      return compare('params', 'p1', 'LIKE', r.pick(['a%', '1%', 'b%']));
    case 7:
      return compare('tags', 't1', r.pick(['=', '!=']), r.pick(WORDS));
    case 8:
      return compare('tags', 't1', 'ILIKE', r.pick(['A%', 'B%']));
    case 9:
      return compare('attributes', 'status', '=', r.pick(['FINISHED', 'FAILED', 'RUNNING']));
    case 10:
      return compare('attributes', 'start_time', r.pick(['>', '<=']), T0 + 1000 * r.int(60));
    default: {
      const ids = Array.from({ length: 1 + r.int(30) }, () => r.pick(runs).runId);
      return {
        text: `attributes.run_id IN (${ids.map((id) => `'${id}'`).join(', ')})`,
        test: (run) => ids.includes(run.runId),
      };
    }
  }
}

const ORDER_KEYS = [
  'metrics.m1',
  'metrics.m2',
  'metrics.m3',
  'params.p1',
  'params.p2',
  'tags.t1',
  'attributes.start_time',
  'attributes.end_time',
  'attributes.run_name',
  'attributes.status',
  'attributes.experiment_id',
];

/** MLflow's order: each term with missing values last in both directions, then start_time DESC, run_id ASC. */
function referenceOrder(runs: Truth[], orderBy: string[]): Truth[] {
  const terms = orderBy.map((term) => {
    const [id, direction] = term.split(' ');
    const [entity, key] = id!.split('.') as [string, string];
    return { entity, key, sign: direction === 'DESC' ? -1 : 1 };
  });
  const cmp = (a: Value, b: Value) => (a! < b! ? -1 : a! > b! ? 1 : 0);
  return [...runs].sort((x, y) => {
    for (const { entity, key, sign } of terms) {
      const a = valueIn(x, entity, key);
      const b = valueIn(y, entity, key);
      if (a === undefined || b === undefined) {
        if (a !== b) return a === undefined ? 1 : -1;
        continue;
      }
      const c = cmp(a, b);
      if (c !== 0) return sign * c;
    }
    return y.startTime - x.startTime || cmp(x.runId, y.runId);
  });
}

for (const dialect of await dialects()) {
  describe(`run search order on ${dialect.name}`, { skip: dialect.skip }, () => {
    let osprey: Osprey & { dispose(): Promise<void> };
    const truth: Truth[] = [];
    const experiments: Record<'A' | 'B', string> = { A: '', B: '' };
    before(async () => {
      osprey = await testOsprey(await dialect.create());
      experiments.A = await osprey.tracking.experiments.create({ name: 'order-a' });
      experiments.B = await osprey.tracking.experiments.create({ name: 'order-b' });
      const r = seeded(20261123);
      for (let i = 0; i < 340; i++) {
        const run: Truth = {
          runId: '',
          experiment: i < 300 ? 'A' : 'B',
          runName: `run-${r.int(40)}`,
          startTime: T0 + 1000 * r.int(60),
          endTime: undefined,
          status: 'RUNNING',
          lifecycle: r.chance(0.05) ? 'deleted' : 'active',
          metrics: {},
          params: {},
          tags: {},
        };
        if (r.chance(0.85)) run.metrics.m1 = r.pick(M1_VALUES);
        if (r.chance(0.6)) run.metrics.m2 = Math.round(r.next() * 20) / 20;
        if (r.chance(0.1)) run.metrics.m3 = r.next();
        if (r.chance(0.8)) run.params.p1 = r.pick(WORDS);
        if (r.chance(0.9)) run.params.p2 = String(r.int(10));
        if (r.chance(0.7)) run.tags.t1 = r.pick(WORDS);
        if (r.chance(0.6)) {
          run.status = r.pick(['FINISHED', 'FAILED']);
          run.endTime = r.chance(0.8) ? run.startTime + 1000 * r.int(5) : undefined;
        }
        truth.push(run);
      }
      // Written 10 runs at a time: the data above is fixed, only the run ids come from the server.
      for (let i = 0; i < truth.length; i += 10) await Promise.all(truth.slice(i, i + 10).map(write));
    });

    async function write(run: Truth): Promise<void> {
      const t = osprey.tracking;
      const { info } = await t.runs.create({
        experimentId: experiments[run.experiment],
        runName: run.runName,
        startTime: run.startTime,
        tags: Object.entries(run.tags).map(([key, value]) => ({ key, value })),
      });
      run.runId = info.runId;
      await t.logger.logBatch(run.runId, {
        metrics: Object.entries(run.metrics).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
        params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
      });
      if (run.status !== 'RUNNING')
        await t.runs.update(run.runId, { status: run.status as 'FINISHED', endTime: run.endTime });
      if (run.lifecycle === 'deleted') await t.runs.delete(run.runId);
    }
    after(async () => {
      await osprey?.dispose();
    });

    /** Follows the page tokens to the end (or `maxPages`) and returns the run ids in order. */
    async function allPages(
      search: (token: string | undefined) => Promise<{ items: Run[]; nextPageToken: string | undefined }>,
      maxPages: number,
    ): Promise<string[]> {
      const ids: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const result = await search(token);
        ids.push(...result.items.map((run) => run.info.runId));
        token = result.nextPageToken;
        if (!token) break;
      }
      return ids;
    }

    // Each planner setting must give the reference order: the default, always walking the first
    // order key's index, and always driving from the smallest filter (a sort of the matches).
    const settings: Record<string, RunSearchOptions | undefined> = {
      default: undefined,
      walk: { driverThreshold: 0 },
      drive: { driverThreshold: Number.POSITIVE_INFINITY },
    };

    it('pages every random filter and order_by exactly like the reference', async () => {
      const r = seeded(7);
      const searches = Object.fromEntries(
        Object.entries(settings).map(([name, options]) => [
          name,
          createRunSearch({ database: osprey.database }, options),
        ]),
      );
      for (let c = 0; c < 30; c++) {
        const filter = Array.from({ length: r.int(3) }, () => randomClause(r, truth));
        const keys = [...ORDER_KEYS].sort(() => r.next() - 0.5).slice(0, r.int(4));
        // Most cases order by a metric or param first: the case the index walk is for.
        if (r.chance(0.5)) keys.unshift(r.pick(ORDER_KEYS.slice(0, 6)));
        const orderBy = [...new Set(keys)].map((k) => `${k} ${r.pick(['ASC', 'DESC'])}`);
        const viewType = r.pick(['ACTIVE_ONLY', 'ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const);
        const scope = r.chance(0.8) ? (['A'] as const) : (['A', 'B'] as const);
        const maxResults = r.pick([2, 5, 13, 50, 1000]);
        const maxPages = Math.ceil(40 / maxResults) + 1;
        const expected = referenceOrder(
          truth.filter(
            (run) =>
              scope.includes(run.experiment as 'A') &&
              (viewType === 'ALL' || (run.lifecycle === 'deleted') === (viewType === 'DELETED_ONLY')) &&
              filter.every((clause) => clause.test(run)),
          ),
          orderBy,
        )
          .map((run) => run.runId)
          .slice(0, maxPages * maxResults);
        const input = {
          experimentIds: scope.map((e) => experiments[e]),
          filter: filter.map((clause) => clause.text).join(' AND ') || undefined,
          orderBy,
          viewType,
          maxResults,
        };
        const name = `${JSON.stringify(input)}`;
        for (const [setting, search] of Object.entries(searches)) {
          const got = await allPages((pageToken) => search!.search({ ...input, pageToken }), maxPages);
          assert.deepEqual(got, expected, `${setting}: ${name}`);
        }
      }
    });

    it('gives the missing-key runs the right offsets when a page starts past the key holders', async () => {
      // m3 is held by ~10 % of the runs: with 7 per page the holders end mid-way and later pages
      // start inside the runs that lack it, whose offset needs the number of holders.
      const orderBy = ['metrics.m3 DESC', 'params.p1 ASC'];
      const expected = referenceOrder(
        truth.filter((run) => run.experiment === 'A' && run.lifecycle === 'active'),
        orderBy,
      ).map((run) => run.runId);
      const search = createRunSearch({ database: osprey.database }, { driverThreshold: 0 });
      const got = await allPages(
        (pageToken) => search.search({ experimentIds: [experiments.A], orderBy, maxResults: 7, pageToken }),
        100,
      );
      assert.deepEqual(got, expected);
      assert.deepEqual(
        await allPages(
          (pageToken) =>
            osprey.tracking.search.search({
              experimentIds: [experiments.A],
              orderBy,
              maxResults: 7,
              pageToken,
            }),
          100,
        ),
        expected,
      );
    });
  });
}
