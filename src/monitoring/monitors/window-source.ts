/**
 * Reads a deployment's logged requests from the payload log as feature rows, and cuts them into
 * windows: by row count (tumbling or sliding, rows buffered in the checkpoint) or by time
 * (windows aligned to multiples of the step, each read from the log once its end has passed the
 * watermark `now − lateness`). The position read up to is kept as (time, ids of the events at that
 * time), so a restart neither skips nor re-counts an event.
 */
import type { CloudEvent, PayloadLogStore } from '../../serving/logging/index.js';
import type { CellValue } from '../types.js';
import { StreamWindow, type WindowState } from '../window/index.js';
import type { MonitorSpec, ResolvedWindow } from './monitor-spec.js';
import { requestRows } from './payload-rows.js';

/** One feature row with the time of its request. */
export interface TimedRow {
  t: number;
  row: CellValue[];
}

/** A window ready for the detectors. */
export interface FormedWindow {
  start: number;
  end: number;
  rows: CellValue[][];
  /** Requests in the window that did not match the features, with the first few reasons. */
  rejected: { count: number; reasons: string[] };
  nonFinite: number;
}

/** Where reading stopped. */
export interface ReadPosition {
  time: number;
  ids: string[];
}

/** The part of the checkpoint the window source owns. */
export interface SourceState {
  position: ReadPosition | null;
  /** Row windows: the buffered rows. */
  rowWindow: WindowState<TimedRow> | null;
  /** Row windows: rejected requests since the last window. */
  rejected: { count: number; reasons: string[] };
  nonFinite: number;
  /** Time windows: the start of the next window to evaluate. */
  nextStart: number | null;
}

export const EMPTY_SOURCE: SourceState = {
  position: null,
  rowWindow: null,
  rejected: { count: 0, reasons: [] },
  nonFinite: 0,
  nextStart: null,
};

const PAGE = 1000;
const MAX_REASONS = 5;

type Payloads = Pick<PayloadLogStore, 'queryPayloads'>;

/** Logged request events of the monitor's deployment in [from, to), oldest first. */
async function* requestEvents(payloads: Payloads, spec: MonitorSpec, from: number | undefined, to: number) {
  let pageToken: string | undefined;
  do {
    const page = await payloads.queryPayloads({
      deployment: spec.deployment,
      ...(spec.model !== undefined ? { model: spec.model } : {}),
      ...(spec.version !== undefined ? { version: spec.version } : {}),
      kind: 'request',
      ...(from !== undefined ? { from } : {}),
      to,
      order: 'asc',
      limit: PAGE,
      ...(pageToken ? { pageToken } : {}),
    });
    yield* page.events;
    pageToken = page.nextPageToken;
  } while (pageToken);
}

const eventTime = (e: CloudEvent): number => Date.parse(e.time ?? '');

/** Adds one event's rows (or its rejection) to `into`. */
function addEvent(
  spec: MonitorSpec,
  event: CloudEvent,
  into: { rows: TimedRow[]; rejected: SourceState['rejected']; nonFinite: number },
): void {
  const parsed = requestRows(event.data, spec.features);
  if ('error' in parsed) {
    into.rejected.count++;
    if (into.rejected.reasons.length < MAX_REASONS) into.rejected.reasons.push(parsed.error);
    return;
  }
  into.nonFinite += parsed.nonFinite;
  const t = eventTime(event);
  for (const row of parsed.rows) into.rows.push({ t, row });
}

/** Row windows completed by the events logged since the position, up to `watermark`. */
export async function readRowWindows(
  payloads: Payloads,
  spec: MonitorSpec,
  window: Extract<ResolvedWindow, { kind: 'rows' }>,
  state: SourceState,
  watermark: number,
): Promise<{ windows: FormedWindow[]; state: SourceState }> {
  const stream = state.rowWindow
    ? StreamWindow.fromJSON<TimedRow, TimedRow[]>(state.rowWindow, (w) => w)
    : new StreamWindow<TimedRow, TimedRow[]>({ size: window.size, step: window.step, evaluate: (w) => w });
  const seen = new Set(state.position?.ids ?? []);
  let position = state.position;
  let rejected = { count: state.rejected.count, reasons: [...state.rejected.reasons] };
  let nonFinite = state.nonFinite;
  const windows: FormedWindow[] = [];
  for await (const event of requestEvents(payloads, spec, position?.time, watermark)) {
    const t = eventTime(event);
    if (position && t === position.time && seen.has(event.id)) continue;
    position =
      position && position.time === t
        ? { time: t, ids: [...position.ids, event.id] }
        : { time: t, ids: [event.id] };
    const into = { rows: [] as TimedRow[], rejected, nonFinite };
    addEvent(spec, event, into);
    nonFinite = into.nonFinite;
    for (const sample of into.rows) {
      const emitted = stream.push(sample);
      if (!emitted) continue;
      windows.push(formWindow(emitted, emitted[0]!.t, emitted[emitted.length - 1]!.t, rejected, nonFinite));
      rejected = { count: 0, reasons: [] };
      nonFinite = 0;
    }
  }
  return { windows, state: { ...state, position, rowWindow: stream.toJSON(), rejected, nonFinite } };
}

/** Time windows whose end has passed the watermark, at most `maxWindows` of them. */
export async function readTimeWindows(
  payloads: Payloads,
  spec: MonitorSpec,
  window: Extract<ResolvedWindow, { kind: 'duration' }>,
  state: SourceState,
  watermark: number,
  maxWindows: number,
): Promise<{ windows: FormedWindow[]; state: SourceState }> {
  let start = state.nextStart;
  if (start === null) {
    const first = await payloads.queryPayloads({
      deployment: spec.deployment,
      kind: 'request',
      order: 'asc',
      limit: 1,
      ...(spec.model !== undefined ? { model: spec.model } : {}),
      ...(spec.version !== undefined ? { version: spec.version } : {}),
    });
    const event = first.events[0];
    if (!event) return { windows: [], state };
    start = Math.floor(eventTime(event) / window.step) * window.step;
  }
  const windows: FormedWindow[] = [];
  while (start + window.size <= watermark && windows.length < maxWindows) {
    const into = { rows: [] as TimedRow[], rejected: { count: 0, reasons: [] as string[] }, nonFinite: 0 };
    for await (const event of requestEvents(payloads, spec, start, start + window.size))
      addEvent(spec, event, into);
    windows.push(formWindow(into.rows, start, start + window.size, into.rejected, into.nonFinite));
    start += window.step;
  }
  return { windows, state: { ...state, nextStart: start } };
}

function formWindow(
  rows: readonly TimedRow[],
  start: number,
  end: number,
  rejected: SourceState['rejected'],
  nonFinite: number,
): FormedWindow {
  return { start, end, rows: rows.map((r) => r.row), rejected, nonFinite };
}
