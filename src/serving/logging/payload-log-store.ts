import { invalidArgument } from '../../errors/index.js';
import {
  type BatchColumn,
  createBatchStatement,
  type Database,
  type PayloadLogTable,
} from '../../store/db/index.js';
import { type CloudEvent, EVENT_TYPES, EXTENSIONS } from './cloud-event.js';

/** A search over stored payload events. Times are epoch ms, `Date`s or RFC 3339 strings; `from` inclusive, `to` exclusive. */
export interface PayloadQuery {
  deployment?: string;
  node?: string;
  model?: string;
  version?: string;
  requestId?: string;
  /** `request`, `response`, `error` or `feedback`. */
  kind?: keyof typeof EVENT_TYPES;
  from?: number | Date | string;
  to?: number | Date | string;
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  /** The `nextPageToken` of the previous page of the same query. */
  pageToken?: string;
  /** `desc` (newest first, the default) or `asc` (chronological, for monitors reading a window). */
  order?: 'asc' | 'desc';
}

export interface PayloadPage {
  events: CloudEvent[];
  /** Present when more events match: pass it as `pageToken` to read on. */
  nextPageToken?: string;
}

/** Payload events in the metadata database (table `payload_logs`, migration `0005-payload-logs`). */
export interface PayloadLogStore {
  /** Inserts events; an event id already stored is skipped, so a retried batch is written once. */
  append(events: readonly CloudEvent[]): Promise<void>;
  /** One page of the events matching `query`, ordered by time then arrival. */
  queryPayloads(query?: PayloadQuery): Promise<PayloadPage>;
  /** Deletes events older than `before`; returns how many. */
  prune(before: number | Date | string): Promise<number>;
}

/** The inserted columns (seq is generated), in `toRow` order. */
const COLUMNS: readonly BatchColumn[] = [
  { name: 'event_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'request_id', type: 'text' },
  { name: 'deployment', type: 'text' },
  { name: 'node', type: 'text' },
  { name: 'model_name', type: 'text' },
  { name: 'model_version', type: 'text' },
  { name: 'route', type: 'text' },
  { name: 'time', type: 'bigint' },
  { name: 'latency_ms', type: 'double precision' },
  { name: 'event', type: 'text' },
];

/** The payload log store over an open database (SQLite or PostgreSQL). */
export function createPayloadLogStore(database: Pick<Database, 'db' | 'profile'>): PayloadLogStore {
  const { db, profile } = database;
  // One statement text per batch size, compiled once: building a many-row INSERT per call cost more
  // than writing it.
  const insert = createBatchStatement(db, profile, {
    table: 'payload_logs',
    columns: COLUMNS,
    suffix: 'on conflict (event_id) do nothing',
  });
  return {
    async append(events) {
      const rows = events.map(toRow);
      const values = COLUMNS.map(({ name }) => rows.map((row) => row[name as keyof typeof row]));
      await insert.execute(db, values, rows.length);
    },
    async queryPayloads(query = {}) {
      const limit = query.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw invalidArgument(`limit must be an integer in 1..1000, got ${limit}`);
      const order = query.order ?? 'desc';
      if (order !== 'asc' && order !== 'desc') throw invalidArgument(`order must be 'asc' or 'desc'`);
      if (query.kind !== undefined && !(query.kind in EVENT_TYPES))
        throw invalidArgument(`kind must be one of ${Object.keys(EVENT_TYPES).join(', ')}`);
      let q = db.selectFrom('payload_logs').select(['event', 'time', 'seq']);
      if (query.deployment !== undefined) q = q.where('deployment', '=', query.deployment);
      if (query.node !== undefined) q = q.where('node', '=', query.node);
      if (query.model !== undefined) q = q.where('model_name', '=', query.model);
      if (query.version !== undefined) q = q.where('model_version', '=', query.version);
      if (query.requestId !== undefined) q = q.where('request_id', '=', query.requestId);
      if (query.kind !== undefined) q = q.where('type', '=', EVENT_TYPES[query.kind]);
      if (query.from !== undefined) q = q.where('time', '>=', epochMs(query.from, 'from'));
      if (query.to !== undefined) q = q.where('time', '<', epochMs(query.to, 'to'));
      if (query.pageToken !== undefined) {
        // Keyset paging on (time, seq): stable while new events arrive, unlike an offset.
        const [time, seq] = decodeToken(query.pageToken);
        const after = order === 'desc' ? '<' : '>';
        q = q.where((eb) =>
          eb.or([eb('time', after, time), eb.and([eb('time', '=', time), eb('seq', after, seq)])]),
        );
      }
      const rows = await q
        .orderBy('time', order)
        .orderBy('seq', order)
        .limit(limit + 1)
        .execute();
      const page: PayloadPage = {
        events: rows.slice(0, limit).map((r) => JSON.parse(r.event) as CloudEvent),
      };
      if (rows.length > limit) {
        const last = rows[limit - 1]!;
        page.nextPageToken = encodeToken(last.time, last.seq);
      }
      return page;
    },
    async prune(before) {
      const result = await db
        .deleteFrom('payload_logs')
        .where('time', '<', epochMs(before, 'before'))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function toRow(event: CloudEvent): Omit<PayloadLogTable, 'seq'> {
  const text = (key: string): string | null => {
    const value = event[key];
    return value === undefined || value === null ? null : String(value);
  };
  const latency = Number(text(EXTENSIONS.latencyMs) ?? Number.NaN);
  const time = event.time === undefined ? Number.NaN : Date.parse(event.time);
  return {
    event_id: event.id,
    type: event.type,
    request_id: text(EXTENSIONS.requestId) ?? '',
    deployment: text(EXTENSIONS.deployment) ?? '',
    node: text(EXTENSIONS.node) ?? '',
    model_name: text(EXTENSIONS.modelName) ?? '',
    model_version: text(EXTENSIONS.modelVersion),
    route: text(EXTENSIONS.route),
    time: Number.isFinite(time) ? time : Date.now(),
    latency_ms: Number.isFinite(latency) ? latency : null,
    event: JSON.stringify(event),
  };
}

function epochMs(value: number | Date | string, name: string): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms))
    throw invalidArgument(`${name} must be epoch milliseconds, a Date or an RFC 3339 time`);
  return ms;
}

function encodeToken(time: number, seq: number): string {
  return Buffer.from(JSON.stringify([time, seq])).toString('base64url');
}

function decodeToken(token: string): [number, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && Number.isFinite(value[0]) && Number.isInteger(value[1]))
      return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw invalidArgument('pageToken is not a token from a previous page');
}
