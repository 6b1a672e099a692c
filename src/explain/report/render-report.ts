import type {
  CalibrationCurve,
  ClassBalance,
  ClassificationMetrics,
  PrCurve,
  ProtectedAttributeReport,
  RocCurve,
} from '../assessment/index.js';
import type { ShapExplanation } from '../common/explanation.js';
import type { FairnessReport } from '../fairness/index.js';
import type { PermutationImportanceResult } from '../importance/index.js';
import {
  calibrationPlot,
  disparateImpactPlot,
  fairnessBars,
  importancePlot,
  prPlot,
  rocPlot,
} from './curve-plots.js';
import { featureOrder, shapBarPlot, shapBeeswarm, shapDependence } from './shap-plots.js';
import { esc, fmt } from './svg.js';

/** Everything a report can show; every section is optional. */
export interface ReportInput {
  title: string;
  /** Shown under the title (e.g. model version and timestamp); the renderer reads no clock. */
  subtitle?: string;
  shap?: {
    explanation: ShapExplanation;
    output?: number;
    maxDisplay?: number;
    /** Features for dependence plots (default: the top 2 by mean |SHAP|). */
    dependence?: string[];
  };
  importance?: PermutationImportanceResult;
  classBalance?: ClassBalance;
  protectedAttributes?: ProtectedAttributeReport;
  classification?: ClassificationMetrics;
  roc?: { curve: RocCurve; auc: number };
  pr?: { curve: PrCurve; averagePrecision: number };
  calibration?: CalibrationCurve;
  /** One fairness report per sensitive feature, keyed by its name. */
  fairness?: Record<string, FairnessReport>;
  notes?: string[];
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}.note{color:#555}.flag{color:#c00;font-weight:600}
.plots{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600;margin:4px 0}svg text{font:11px system-ui,sans-serif;fill:#333}svg .small{font-size:10px}
svg .grid{stroke:#eee}svg .frame{fill:none;stroke:#999}svg .diag{stroke:#aaa;stroke-dasharray:4 3}
svg .zero{stroke:#888}svg .threshold{stroke:#d62728;stroke-dasharray:5 3;stroke-width:1.5}`;

/**
 * Renders a self-contained HTML page (inline CSS and SVG, no scripts, no external resources) from
 * explanation and assessment results. Pure: the same input gives the same string.
 */
export function renderReport(input: ReportInput): string {
  const sections: string[] = [];
  if (input.shap) sections.push(shapSection(input.shap));
  if (input.importance) sections.push(section('Permutation importance', importancePlot(input.importance)));
  if (input.classBalance) sections.push(section('Class balance', balanceTable(input.classBalance)));
  if (input.protectedAttributes)
    sections.push(section('Protected attributes', protectedTables(input.protectedAttributes)));
  if (input.classification)
    sections.push(section('Classification metrics', metricsTable(input.classification)));
  const curves = [
    input.roc ? rocPlot(input.roc.curve, input.roc.auc) : '',
    input.pr ? prPlot(input.pr.curve, input.pr.averagePrecision) : '',
    input.calibration ? calibrationPlot(input.calibration) : '',
  ].filter(Boolean);
  if (curves.length) sections.push(section('Curves', `<div class="plots">${curves.join('')}</div>`));
  for (const [feature, report] of Object.entries(input.fairness ?? {}))
    sections.push(fairnessSection(feature, report));
  if (input.notes?.length)
    sections.push(section('Notes', `<ul>${input.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`));
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>` +
    `<style>${CSS}</style></head><body><h1>${esc(input.title)}</h1>` +
    (input.subtitle ? `<p class="note">${esc(input.subtitle)}</p>` : '') +
    sections.join('') +
    '</body></html>'
  );
}

function section(title: string, body: string): string {
  return `<section><h2>${esc(title)}</h2>${body}</section>`;
}

function table(head: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? esc(fmt(v)) : esc(v));
  return (
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function shapSection(s: NonNullable<ReportInput['shap']>): string {
  const e = s.explanation;
  const output = s.output ?? 0;
  const max = s.maxDisplay ?? 15;
  const dependence =
    s.dependence ??
    featureOrder(e, output)
      .slice(0, 2)
      .map((o) => e.featureNames[o.index]!);
  const deps = dependence
    .map((name) => e.featureNames.indexOf(name))
    .filter((j) => j >= 0)
    .map((j) => shapDependence(e, j, output));
  const info =
    `<p class="note">Method: ${esc(e.method)}; base value E[f(X)] = ${esc(fmt(e.baseValues[output]!))}; ` +
    `${e.data.length} explained rows. ${esc(
      Object.entries(e.details)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', '),
    )}</p>`;
  return section(
    'SHAP attributions',
    info +
      `<div class="plots">${shapBeeswarm(e, output, max)}${shapBarPlot(e, output, max)}</div>` +
      `<div class="plots">${deps.join('')}</div>`,
  );
}

function balanceTable(b: ClassBalance): string {
  return (
    table(
      ['class', 'count', 'share'],
      b.classes.map((c) => [String(c.label), c.count, c.proportion]),
    ) +
    `<p>Imbalance ratio ${esc(fmt(b.imbalanceRatio))} (majority ${esc(String(b.majority))} / minority ` +
    `${esc(String(b.minority))}); balance (normalised entropy) ${esc(fmt(b.balance))}; missing labels ${b.missing}.</p>`
  );
}

function protectedTables(p: ProtectedAttributeReport): string {
  const found = table(
    ['column', 'category', 'found by', 'evidence'],
    p.protected.map((m) => [m.column, m.category, m.reason, m.evidence]),
  );
  const proxies = p.proxies.length
    ? table(
        ['column', 'associated with', 'measure', 'association'],
        p.proxies.map((m) => [m.column, m.protectedColumn, m.measure, m.association]),
      )
    : '<p>No column reached the proxy threshold.</p>';
  const label = p.labelAssociation.length
    ? table(
        ['protected column', 'measure', 'association with label'],
        p.labelAssociation.map((m) => [m.protectedColumn, m.measure, m.association]),
      )
    : '';
  return `${found}<h3>Possible proxies</h3>${proxies}${label}<p class="note">A name- and association-based screen for review, not a legal determination.</p>`;
}

function metricsTable(m: ClassificationMetrics): string {
  const summary = table(
    ['metric', 'value'],
    [
      ['accuracy', m.accuracy],
      ['balanced accuracy', m.balancedAccuracy],
      ['macro F1', m.macro.f1],
      ['weighted F1', m.weighted.f1],
      ['MCC', m.mcc],
      ["Cohen's kappa", m.cohenKappa],
    ],
  );
  const perClass = table(
    ['class', 'precision', 'recall', 'F1', 'support'],
    m.perClass.map((c) => [String(c.label), c.precision, c.recall, c.f1, c.support]),
  );
  return `<div class="plots">${summary}${perClass}</div>`;
}

function fairnessSection(feature: string, r: FairnessReport): string {
  const di = r.disparateImpact;
  const summary = table(
    ['metric (Fairlearn definition)', 'value'],
    [
      ['demographic parity difference', r.demographicParityDifference],
      ['demographic parity ratio', r.demographicParityRatio],
      ['equal opportunity difference (TPR)', r.equalOpportunityDifference],
      ['equalized odds difference', r.equalizedOddsDifference],
      ['equalized odds ratio', r.equalizedOddsRatio],
    ],
  );
  const groups = table(
    ['group', 'count', 'selection rate', 'TPR', 'FPR', 'precision', 'base rate', 'rates with no denominator'],
    r.groups.map((g) => [
      String(g.group),
      g.count,
      g.selectionRate,
      g.tpr,
      g.fpr,
      g.precision,
      g.baseRate,
      g.undefinedRates.join(' '),
    ]),
  );
  const verdict = di.fourFifthsRuleViolated
    ? `<p class="flag">Four-fifths rule flagged: lowest ratio ${esc(fmt(di.minRatio))} &lt; ${esc(fmt(di.threshold))}.</p>`
    : `<p>No group below ${esc(fmt(di.threshold))} of the reference selection rate.</p>`;
  return section(
    `Fairness by ${feature}`,
    `<div class="plots">${summary}${groups}</div><div class="plots">${fairnessBars(r)}${disparateImpactPlot(r)}</div>` +
      verdict +
      `<p class="note">${esc(di.caveat)}</p><p class="note">${esc(r.conventions)}</p>`,
  );
}
