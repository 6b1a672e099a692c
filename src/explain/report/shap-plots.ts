import type { ShapExplanation } from '../common/explanation.js';
import { quantileLinear, sortedCopy } from '../common/stats.js';
import { axes, esc, fmt, linearScale, px, shapColor, svg } from './svg.js';

/** Features ordered by mean |SHAP value| for one output, largest first. */
export function featureOrder(e: ShapExplanation, output = 0): { index: number; meanAbs: number }[] {
  const values = e.values[output] ?? [];
  return e.featureNames
    .map((_, j) => ({
      index: j,
      meanAbs: values.reduce((a, row) => a + Math.abs(row[j]!), 0) / Math.max(1, values.length),
    }))
    .sort((a, b) => b.meanAbs - a.meanAbs);
}

const ROW = 22;

/** Bar chart of mean |SHAP value| per feature (global importance), top `maxDisplay`. */
export function shapBarPlot(e: ShapExplanation, output = 0, maxDisplay = 15): string {
  const order = featureOrder(e, output).slice(0, maxDisplay);
  const left = 170;
  const width = 640;
  const height = 50 + order.length * ROW;
  const x = linearScale([0, Math.max(...order.map((o) => o.meanAbs), 1e-12)], [left, width - 20]);
  const body = order.map((o, i) => {
    const y = 10 + i * ROW;
    return (
      `<text x="${left - 6}" y="${y + ROW / 2}" text-anchor="end" dominant-baseline="middle">${esc(e.featureNames[o.index]!)}</text>` +
      `<rect x="${left}" y="${y + 3}" width="${px(x(o.meanAbs) - left)}" height="${ROW - 6}" fill="#ff0052"/>` +
      `<text x="${px(x(o.meanAbs) + 4)}" y="${y + ROW / 2}" dominant-baseline="middle" class="small">${esc(fmt(o.meanAbs))}</text>`
    );
  });
  const box = { left, right: width - 20, top: 10, bottom: 10 + order.length * ROW };
  const y = linearScale([0, 1], [box.bottom, box.top], 1);
  y.ticks = [];
  return svg(
    width,
    height,
    'Mean |SHAP value| per feature',
    axes(x, y, box, { x: 'mean |SHAP value|' }) + body.join(''),
  );
}

/**
 * Beeswarm summary plot: one row per feature, a dot per explained row at its SHAP value, stacked
 * where dots collide, coloured by the feature's value (5th-95th percentile scale, blue low, red high).
 * At most `maxPoints` rows are drawn (evenly strided) to keep the page small.
 */
export function shapBeeswarm(e: ShapExplanation, output = 0, maxDisplay = 15, maxPoints = 1000): string {
  const values = e.values[output] ?? [];
  const order = featureOrder(e, output).slice(0, maxDisplay);
  const stride = Math.max(1, Math.ceil(values.length / maxPoints));
  const rows = values.map((_, i) => i).filter((i) => i % stride === 0);
  const left = 170;
  const width = 680;
  const rowH = 34;
  const box = { left, right: width - 40, top: 10, bottom: 10 + order.length * rowH };
  let lo = 0;
  let hi = 0;
  for (const o of order) {
    for (const i of rows) {
      lo = Math.min(lo, values[i]![o.index]!);
      hi = Math.max(hi, values[i]![o.index]!);
    }
  }
  const x = linearScale([lo, hi], [box.left, box.right]);
  const parts: string[] = [];
  order.forEach((o, r) => {
    const cy = box.top + r * rowH + rowH / 2;
    parts.push(
      `<text x="${left - 6}" y="${cy}" text-anchor="end" dominant-baseline="middle">${esc(e.featureNames[o.index]!)}</text>`,
    );
    const column = rows.map((i) => e.data[i]![o.index]!).filter((v) => !Number.isNaN(v));
    const sorted = sortedCopy(column);
    const vLo = quantileLinear(sorted, 0.05);
    const vHi = quantileLinear(sorted, 0.95);
    // Stack dots that fall in the same 3-px bin alternately above and below the row's centre line,
    // squeezing a row's stacks uniformly when the tallest would overflow the row.
    const bins = new Map<number, number>();
    const dots = rows.map((i) => {
      const cx = x(values[i]![o.index]!);
      const bin = Math.round(cx / 3);
      const k = bins.get(bin) ?? 0;
      bins.set(bin, k + 1);
      return { i, cx, offset: (k % 2 ? -1 : 1) * Math.ceil(k / 2) * 2.5 };
    });
    const tallest = Math.max(1e-9, ...dots.map((d) => Math.abs(d.offset)));
    const squeeze = Math.min(1, (rowH / 2 - 3) / tallest);
    for (const d of dots) {
      const v = e.data[d.i]![o.index]!;
      const t = vHi > vLo ? (v - vLo) / (vHi - vLo) : 0.5;
      const fill = shapColor(Number.isNaN(v) ? Number.NaN : t);
      parts.push(`<circle cx="${px(d.cx)}" cy="${px(cy + d.offset * squeeze)}" r="2.2" fill="${fill}"/>`);
    }
  });
  const y = linearScale([0, 1], [box.bottom, box.top], 1);
  y.ticks = [];
  const zero = px(x(0));
  parts.push(`<line x1="${zero}" x2="${zero}" y1="${box.top}" y2="${box.bottom}" class="zero"/>`);
  const legend =
    `<text x="${width - 30}" y="${box.top + 8}" class="small" text-anchor="middle">high</text>` +
    `<text x="${width - 30}" y="${box.bottom}" class="small" text-anchor="middle">low</text>` +
    `<rect x="${width - 34}" y="${box.top + 12}" width="8" height="${Math.max(0, box.bottom - box.top - 24)}" fill="url(#shapgrad)"/>`;
  const defs =
    '<defs><linearGradient id="shapgrad" x1="0" y1="1" x2="0" y2="0">' +
    `<stop offset="0" stop-color="${shapColor(0)}"/><stop offset="1" stop-color="${shapColor(1)}"/></linearGradient></defs>`;
  return svg(
    width,
    box.bottom + 40,
    'SHAP summary (beeswarm)',
    defs + axes(x, y, box, { x: 'SHAP value (impact on model output)' }) + parts.join('') + legend,
  );
}

/** Dependence plot: SHAP value of `feature` against its value (one dot per explained row). */
export function shapDependence(e: ShapExplanation, feature: number, output = 0, maxPoints = 2000): string {
  const values = e.values[output] ?? [];
  const stride = Math.max(1, Math.ceil(values.length / maxPoints));
  const pts = values
    .map((row, i) => ({ v: e.data[i]![feature]!, s: row[feature]!, i }))
    .filter((p) => p.i % stride === 0 && Number.isFinite(p.v));
  const box = { left: 60, right: 500, top: 10, bottom: 260 };
  const xs = pts.map((p) => p.v);
  const ss = pts.map((p) => p.s);
  const x = linearScale([Math.min(...xs), Math.max(...xs)], [box.left, box.right]);
  const y = linearScale([Math.min(...ss, 0), Math.max(...ss, 0)], [box.bottom, box.top]);
  const name = e.featureNames[feature] ?? `x${feature}`;
  const dots = pts.map(
    (p) => `<circle cx="${px(x(p.v))}" cy="${px(y(p.s))}" r="2.5" fill="#008bfb" fill-opacity="0.7"/>`,
  );
  return svg(
    520,
    300,
    `SHAP dependence: ${name}`,
    axes(x, y, box, { x: name, y: `SHAP value for ${name}` }) + dots.join(''),
  );
}
