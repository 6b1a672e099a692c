import { invalidArgument, notFound } from '../errors/index.js';
import type { Pipeline, Stage } from './types.js';

/** The stages and their edges: B depends on A when a dep of B is, contains or lies inside an out of A. */
export interface Dag {
  /** Stages in a topological order (definition order among equals). */
  order: Stage[];
  byName: ReadonlyMap<string, Stage>;
  /** Stage name → names of the stages it depends on. */
  upstream: ReadonlyMap<string, ReadonlySet<string>>;
  /** Stage name → names of the stages that depend on it. */
  downstream: ReadonlyMap<string, ReadonlySet<string>>;
}

const MAX_LISTED = 10;
const listing = (lines: readonly string[]) =>
  lines
    .slice(0, MAX_LISTED)
    .map((l) => `\n  ${l}`)
    .join('') + (lines.length > MAX_LISTED ? `\n  … and ${lines.length - MAX_LISTED} more` : '');

const isInside = (path: string, dir: string) => path.startsWith(`${dir}/`);

/** Out paths → the stage writing them, with lookups of outs at, above or below a path. */
class OutIndex {
  private readonly owner = new Map<string, string>();
  private sorted: string[] = [];

  constructor(stages: readonly Stage[]) {
    const problems: string[] = [];
    for (const stage of stages) {
      for (const out of stage.outs) {
        const other = this.owner.get(out.path);
        if (other !== undefined)
          problems.push(
            other === stage.name
              ? `${out.path} is listed twice by '${stage.name}'`
              : `${out.path} is written by both '${other}' and '${stage.name}'`,
          );
        else this.owner.set(out.path, stage.name);
      }
    }
    this.sorted = [...this.owner.keys()].sort();
    for (const path of this.sorted) {
      for (const above of this.ancestors(path)) {
        problems.push(
          `${path} (of '${this.owner.get(path)}') is inside ${above} (of '${this.owner.get(above)}')`,
        );
      }
    }
    if (problems.length > 0) throw invalidArgument(`overlapping outputs:${listing(problems)}`);
  }

  /** Out paths strictly above `path`. */
  private ancestors(path: string): string[] {
    const found: string[] = [];
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const dir = path.slice(0, i);
      if (this.owner.has(dir)) found.push(dir);
    }
    return found;
  }

  /** Stages writing `path`, something above it, or something inside it. */
  producers(path: string): Set<string> {
    const names = new Set<string>();
    const exact = this.owner.get(path);
    if (exact !== undefined) names.add(exact);
    for (const dir of this.ancestors(path)) names.add(this.owner.get(dir)!);
    // Outs inside `path` sort right after `path/`.
    const prefix = `${path}/`;
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length && isInside(this.sorted[i]!, path); i++)
      names.add(this.owner.get(this.sorted[i]!)!);
    return names;
  }
}

function findCycle(
  remaining: ReadonlySet<string>,
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'open');
    stack.push(name);
    for (const up of upstream.get(name) ?? []) {
      if (!remaining.has(up)) continue;
      if (state.get(up) === 'open') return [...stack.slice(stack.indexOf(up)), up];
      if (state.get(up) === undefined) {
        const cycle = visit(up);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of remaining) {
    if (state.get(name) !== undefined) continue;
    const cycle = visit(name);
    if (cycle) return cycle.reverse();
  }
  return [...remaining];
}

/**
 * Builds the DAG and checks it before anything runs: overlapping outputs, deps that no stage
 * writes and that are not on disk (`exists` answers for a root-relative path), and cycles.
 */
export function buildDag(pipeline: Pipeline, exists: (path: string) => boolean): Dag {
  const index = new OutIndex(pipeline.stages);
  const upstream = new Map<string, Set<string>>();
  const downstream = new Map<string, Set<string>>();
  const missing: string[] = [];
  for (const stage of pipeline.stages) {
    upstream.set(stage.name, new Set());
    downstream.set(stage.name, new Set());
  }
  for (const stage of pipeline.stages) {
    for (const dep of stage.deps) {
      const producers = index.producers(dep);
      if (producers.size === 0 && !exists(dep)) missing.push(`'${stage.name}' needs ${dep}`);
      for (const producer of producers) {
        upstream.get(stage.name)!.add(producer);
        downstream.get(producer)!.add(stage.name);
      }
    }
  }
  if (missing.length > 0)
    throw invalidArgument(
      `missing dependencies (no stage writes them and they are not on disk):${listing(missing)}`,
    );

  const pending = new Map([...upstream].map(([name, ups]) => [name, ups.size]));
  const byName = new Map(pipeline.stages.map((s) => [s.name, s]));
  const ready = pipeline.stages.filter((s) => pending.get(s.name) === 0).map((s) => s.name);
  const order: Stage[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(byName.get(name)!);
    for (const down of downstream.get(name)!) {
      const left = pending.get(down)! - 1;
      pending.set(down, left);
      if (left === 0) ready.push(down);
    }
  }
  if (order.length < pipeline.stages.length) {
    const done = new Set(order.map((s) => s.name));
    const cycle = findCycle(
      new Set(pipeline.stages.map((s) => s.name).filter((n) => !done.has(n))),
      upstream,
    );
    throw invalidArgument(`the pipeline has a cycle: ${cycle.map((n) => `'${n}'`).join(' → ')}`);
  }
  return { order, byName, upstream, downstream };
}

/** Names of the stages `targets` (names or foreach/matrix groups) need, with everything upstream; all when empty. */
export function selectStages(dag: Dag, targets: readonly string[]): Set<string> {
  if (targets.length === 0) return new Set(dag.order.map((s) => s.name));
  const selected = new Set<string>();
  const visit = (name: string) => {
    if (selected.has(name)) return;
    selected.add(name);
    for (const up of dag.upstream.get(name) ?? []) visit(up);
  };
  for (const target of targets) {
    const matches = dag.order.filter((s) => s.name === target || s.group === target);
    if (matches.length === 0) {
      const names = dag.order.map((s) => s.name);
      throw notFound(`no stage '${target}' in the pipeline (stages: ${names.slice(0, 20).join(', ')})`);
    }
    for (const stage of matches) visit(stage.name);
  }
  return selected;
}
