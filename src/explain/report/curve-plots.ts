import type { CalibrationCurve, PrCurve, RocCurve } from '../assessment/index.js';
import type { FairnessReport } from '../fairness/index.js';
import type { PermutationImportanceResult } from '../importance/index.js';
import { axes, esc, fmt, linearScale, px, seriesColor, svg } from './svg.js';

const BOX = { left: 55, right: 345, top: 10, bottom: 300 };

function polyline(
  xs: readonly number[],
  ys: readonly number[],
  sx: (v: number) => number,
  sy: (v: number) => number,
  color: string,
): string {
  const pts = xs
    .map((v, i) => [v, ys[i]!] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
    .map(([a, b]) => `${px(sx(a))},${px(sy(b))}`);
  return `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`;
}

function unitAxes(xLabel: string, yLabel: string) {
  const x = linearScale([0, 1], [BOX.left, BOX.right]);
  const y = linearScale([0, 1], [BOX.bottom, BOX.top]);
  return { x, y, frame: axes(x, y, BOX, { x: xLabel, y: yLabel }) };
}

/** ROC curve with the chance diagonal and the AUC in the title. */
export function rocPlot(roc: RocCurve, auc: number): string {
  const { x, y, frame } = unitAxes('false positive rate', 'true positive rate');
  const diag = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" class="diag"/>`;
  return svg(
    360,
    340,
    `ROC curve (AUC = ${fmt(auc)})`,
    frame + diag + polyline(roc.fpr, roc.tpr, x, y, seriesColor(0)),
  );
}

/** Precision-recall curve (step-free polyline through sklearn's points) with average precision. */
export function prPlot(pr: PrCurve, averagePrecision: number): string {
  const { x, y, frame } = unitAxes('recall', 'precision');
  return svg(
    360,
    340,
    `Precision-recall curve (AP = ${fmt(averagePrecision)})`,
    frame + polyline(pr.recall, pr.precision, x, y, seriesColor(1)),
  );
}

/** Reliability diagram: fraction of positives against mean predicted probability per bin. */
export function calibrationPlot(c: CalibrationCurve): string {
  const { x, y, frame } = unitAxes('mean predicted probability', 'fraction of positives');
  const diag = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" class="diag"/>`;
  const dots = c.bins.map(
    (b) =>
      `<circle cx="${px(x(b.meanPredicted))}" cy="${px(y(b.fractionPositive))}" r="3.5" fill="${seriesColor(2)}"/>`,
  );
  return svg(
    360,
    340,
    `Calibration (ECE = ${fmt(c.ece)})`,
    frame + diag + polyline(c.probPred, c.probTrue, x, y, seriesColor(2)) + dots.join(''),
  );
}

/** Grouped bars of selection rate, TPR and FPR per sensitive group. */
export function fairnessBars(report: FairnessReport): string {
  const metrics = [
    ['selectionRate', 'selection rate'],
    ['tpr', 'true positive rate'],
    ['fpr', 'false positive rate'],
  ] as const;
  const groups = report.groups;
  const left = 150;
  const width = 620;
  const groupH = 16 * metrics.length + 12;
  const box = { left, right: width - 20, top: 10, bottom: 10 + groups.length * groupH };
  const x = linearScale([0, 1], [left, width - 20]);
  const y = linearScale([0, 1], [box.bottom, box.top], 1);
  y.ticks = [];
  const parts: string[] = [];
  groups.forEach((g, gi) => {
    const top = box.top + gi * groupH + 6;
    parts.push(
      `<text x="${left - 6}" y="${top + groupH / 2 - 6}" text-anchor="end" dominant-baseline="middle">${esc(String(g.group))} (n=${g.count})</text>`,
    );
    metrics.forEach(([key], mi) => {
      const v = g[key];
      parts.push(
        `<rect x="${left}" y="${top + mi * 16}" width="${px(x(v) - left)}" height="13" fill="${seriesColor(mi)}"/>` +
          `<text x="${px(x(v) + 3)}" y="${top + mi * 16 + 7}" dominant-baseline="middle" class="small">${esc(fmt(v))}</text>`,
      );
    });
  });
  const legend = metrics
    .map(
      ([, label], mi) =>
        `<rect x="${left + mi * 150}" y="${box.bottom + 34}" width="10" height="10" fill="${seriesColor(mi)}"/><text x="${left + mi * 150 + 14}" y="${box.bottom + 43}" class="small">${label}</text>`,
    )
    .join('');
  return svg(width, box.bottom + 52, 'Rates by group', axes(x, y, box) + parts.join('') + legend);
}

/** Disparate-impact ratios per group with the four-fifths threshold drawn as a dashed line. */
export function disparateImpactPlot(report: FairnessReport): string {
  const di = report.disparateImpact;
  const left = 150;
  const width = 620;
  const box = { left, right: width - 20, top: 10, bottom: 10 + Math.max(1, di.ratios.length) * 24 };
  const finite = di.ratios.map((r) => r.ratio).filter(Number.isFinite);
  const x = linearScale([0, Math.max(1.2, ...finite)], [left, width - 20]);
  const y = linearScale([0, 1], [box.bottom, box.top], 1);
  y.ticks = [];
  const bars = di.ratios.map((r, i) => {
    const top = box.top + i * 24 + 4;
    const w = Number.isFinite(r.ratio) ? x(r.ratio) - left : 0;
    return (
      `<text x="${left - 6}" y="${top + 8}" text-anchor="end" dominant-baseline="middle">${esc(String(r.group))}</text>` +
      `<rect x="${left}" y="${top}" width="${px(w)}" height="16" fill="${r.flagged ? '#d62728' : '#2ca02c'}"/>` +
      `<text x="${px(left + w + 3)}" y="${top + 8}" dominant-baseline="middle" class="small">${esc(fmt(r.ratio))}</text>`
    );
  });
  const t = px(x(di.threshold));
  const line = `<line x1="${t}" x2="${t}" y1="${box.top}" y2="${box.bottom}" class="threshold"/>`;
  return svg(
    width,
    box.bottom + 40,
    `Selection rate relative to ${String(di.referenceGroup)} (threshold ${fmt(di.threshold)})`,
    axes(x, y, box, { x: `selection rate / selection rate of ${String(di.referenceGroup)}` }) +
      bars.join('') +
      line,
  );
}

/** Horizontal bars of permutation importance (mean with a +-1 std whisker). */
export function importancePlot(r: PermutationImportanceResult, maxDisplay = 15): string {
  const order = r.importancesMean
    .map((m, i) => ({ m, s: r.importancesStd[i]!, name: r.featureNames[i]! }))
    .sort((a, b) => b.m - a.m)
    .slice(0, maxDisplay);
  const left = 170;
  const width = 640;
  const box = { left, right: width - 20, top: 10, bottom: 10 + order.length * 22 };
  const lo = Math.min(0, ...order.map((o) => o.m - o.s));
  const hi = Math.max(1e-12, ...order.map((o) => o.m + o.s));
  const x = linearScale([lo, hi], [left, width - 20]);
  const y = linearScale([0, 1], [box.bottom, box.top], 1);
  y.ticks = [];
  const bars = order.map((o, i) => {
    const top = box.top + i * 22 + 3;
    const x0 = x(Math.min(0, o.m));
    const x1 = x(Math.max(0, o.m));
    return (
      `<text x="${left - 6}" y="${top + 8}" text-anchor="end" dominant-baseline="middle">${esc(o.name)}</text>` +
      `<rect x="${px(x0)}" y="${top}" width="${px(x1 - x0)}" height="16" fill="#1f77b4"/>` +
      `<line x1="${px(x(o.m - o.s))}" x2="${px(x(o.m + o.s))}" y1="${top + 8}" y2="${top + 8}" stroke="#333"/>`
    );
  });
  return svg(
    width,
    box.bottom + 40,
    'Permutation importance',
    axes(x, y, box, { x: 'score decrease' }) + bars.join(''),
  );
}
