import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/** Time spent in the database drivers, by statement kind: what `--cpu-prof` cannot split (native calls). */
export interface SqlTimer {
  reset(): void;
  /** Rows sorted by time: statement kind, calls, milliseconds (prepare and execute apart for SQLite). */
  report(): { kind: string; calls: number; ms: number }[];
  /** Time with at least one statement in flight (parallel statements counted once). */
  totalMs(): number;
  /** The last statement of a kind with its parameters (to EXPLAIN it). */
  sample(kind: string): { text: string; params: unknown[] } | undefined;
  uninstall(): void;
}

/** `insert into "metrics"`, `select … from "latest_metrics"`: the verb and the first table a statement names. */
export function statementKind(text: string): string {
  // Only the head and tail are read: a 1000-row insert is 50 kB of SQL, and this runs on every call.
  const head = text.slice(0, 300).replace(/\s+/g, ' ').trim().toLowerCase();
  const tail = text.slice(-300).toLowerCase();
  const verb = head.split(' ')[0] ?? '?';
  const table = /(?:into|from|update)\s+"?([a-z_]+)"?/.exec(head)?.[1] ?? '';
  const upsert = tail.includes(' on conflict ') || text.includes(' on conflict ') ? ' … on conflict' : '';
  const limit = verb === 'select' && / limit /.test(tail) ? ' … limit' : '';
  return `${verb} ${table}${upsert}${limit}`.trim();
}

type Timer = {
  add(kind: string, ms: number): void;
  keep(kind: string, text: string, params: unknown[]): void;
  /** Marks a statement sent (+1) or answered (-1), to measure the time any statement is in flight. */
  flight(delta: 1 | -1): void;
};

function createTimer(): Timer & Omit<SqlTimer, 'uninstall'> {
  const totals = new Map<string, { calls: number; ms: number }>();
  const samples = new Map<string, { text: string; params: unknown[] }>();
  let inFlight = 0;
  let busySince = 0n;
  let busyMs = 0;
  return {
    flight(delta) {
      if (delta === 1 && inFlight++ === 0) busySince = now();
      if (delta === -1 && --inFlight === 0) busyMs += msFrom(busySince);
    },
    keep: (kind, text, params) => void samples.set(kind, { text, params }),
    sample: (kind) => samples.get(kind),
    add(kind, ms) {
      const entry = totals.get(kind) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += ms;
      totals.set(kind, entry);
    },
    reset: () => {
      totals.clear();
      samples.clear();
      busyMs = 0;
    },
    report: () => [...totals].map(([kind, t]) => ({ kind, ...t })).sort((a, b) => b.ms - a.ms),
    totalMs: () => busyMs,
  };
}

const now = () => process.hrtime.bigint();
const msFrom = (start: bigint) => Number(now() - start) / 1e6;

/**
 * Wraps better-sqlite3's prepare and the run/all/get/iterate of every statement (this process only). The
 * statement methods are wrapped on their prototype, not on each prepared statement, because Osprey keeps
 * its statements prepared: most calls run a statement prepared before the timer was installed.
 */
export function instrumentSqlite(): SqlTimer {
  const timer = createTimer();
  type Method = (this: { source: string }, ...args: unknown[]) => unknown;
  const db = new SqliteDatabase(':memory:');
  const statementProto = Object.getPrototypeOf(db.prepare('select 1')) as Record<string, Method>;
  db.close();
  const proto = SqliteDatabase.prototype as unknown as { prepare: (this: unknown, sql: string) => unknown };
  const prepare = proto.prepare;
  proto.prepare = function (sql: string) {
    const start = now();
    timer.flight(1);
    try {
      return prepare.call(this, sql);
    } finally {
      timer.flight(-1);
      timer.add(`prepare: ${statementKind(sql)}`, msFrom(start));
    }
  };
  const methods = ['run', 'all', 'get', 'iterate'] as const;
  const originals = methods.map((m) => statementProto[m]!);
  methods.forEach((method, i) => {
    const fn = originals[i]!;
    statementProto[method] = function (...args: unknown[]) {
      const kind = statementKind(this.source);
      const began = now();
      timer.keep(kind, this.source, args.flat());
      timer.flight(1);
      try {
        return fn.apply(this, args);
      } finally {
        timer.flight(-1);
        timer.add(`execute: ${kind}`, msFrom(began));
      }
    };
  });
  return {
    ...timer,
    uninstall: () => {
      proto.prepare = prepare;
      methods.forEach((method, i) => {
        statementProto[method] = originals[i]!;
      });
    },
  };
}

/**
 * Wraps pg.Client#query (promise form): wall time from send to result, so it includes the server's work
 * and, for statements sent in parallel, their overlap (the per-kind times then add up to more than the total).
 */
export function instrumentPg(): SqlTimer {
  const timer = createTimer();
  const proto = pg.Client.prototype as unknown as { query(this: unknown, ...args: unknown[]): unknown };
  const original = proto.query;
  proto.query = function (...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    const kind = statementKind(text);
    const params = Array.isArray(args[1])
      ? (args[1] as unknown[])
      : ((first as { values?: unknown[] })?.values ?? []);
    timer.keep(kind, text, params);
    const start = now();
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      timer.flight(1);
      return result.finally(() => {
        timer.flight(-1);
        timer.add(kind, msFrom(start));
      });
    }
    return result;
  };
  return {
    ...timer,
    uninstall: () => {
      proto.query = original;
    },
  };
}
