// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by module, and the
// total (inclusive) time of the Osprey source functions, to show where a benchmark spends its time.
// Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=20]
import { readFileSync } from 'node:fs';
import { fmtMs, markdownTable } from './support/markdown.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The module a script URL belongs to: an npm package, an Osprey source file, or node itself. */
function moduleOf(url: string): string {
  if (url === '') return '(native / idle / gc)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src\/.+|bench\/.+)$/.exec(url);
  if (src) return src[1]!;
  if (url.startsWith('node:')) return 'node:*';
  return url;
}

/** Self and inclusive milliseconds per function, and self milliseconds per module. */
export function summariseProfile(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const modSelf = new Map<string, number>();
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  let total = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    total += ms;
    fnSelf.set(label(node), (fnSelf.get(label(node)) ?? 0) + ms);
    const mod = moduleOf(node.callFrame.url);
    modSelf.set(mod, (modSelf.get(mod) ?? 0) + ms);
    // Inclusive time: once per distinct function on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      fnTotal.set(key, (fnTotal.get(key) ?? 0) + ms);
    }
  }
  return { total, fnSelf, fnTotal, modSelf };
}

function top(map: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) {
  return [...map]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, n = '20'] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const { total, fnSelf, fnTotal, modSelf } = summariseProfile(JSON.parse(readFileSync(file, 'utf8')));
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(1)}%`;
  const rows = (list: [string, number][]) => list.map(([k, ms]) => [k, fmtMs(ms), pct(ms)]);
  console.log(`profile ${file}: ${fmtMs(total)} ms sampled\n`);
  console.log(markdownTable(['module', 'self ms', 'share'], rows(top(modSelf, Number(n)))));
  console.log();
  console.log(markdownTable(['function (self)', 'self ms', 'share'], rows(top(fnSelf, Number(n)))));
  console.log();
  const ours = (k: string) => / (src|bench)\//.test(k);
  console.log(
    markdownTable(['Osprey function (inclusive)', 'total ms', 'share'], rows(top(fnTotal, Number(n), ours))),
  );
}
