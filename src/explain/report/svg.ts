/** Escapes text for HTML/SVG element content and attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Short number for labels: 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** A linear map from a data domain to a pixel range. */
export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

/** Linear scale with "nice" ticks (1, 2, 5 x 10^k steps) covering the domain. */
export function linearScale(domain: [number, number], range: [number, number], tickCount = 5): Scale {
  let [d0, d1] = domain;
  if (!Number.isFinite(d0) || !Number.isFinite(d1)) [d0, d1] = [0, 1];
  if (d0 === d1) [d0, d1] = [d0 - 0.5, d1 + 0.5];
  const step = niceStep((d1 - d0) / tickCount);
  const lo = Math.floor(d0 / step) * step;
  const hi = Math.ceil(d1 / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  const [r0, r1] = range;
  const f = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  f.domain = [lo, hi];
  f.ticks = ticks;
  return f;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Pixel value rounded to 0.1 px to keep the markup small. */
export function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** SHAP's blue-to-red colour for a value in [0, 1] (NaN: grey). */
export function shapColor(t: number): string {
  if (Number.isNaN(t)) return '#999999';
  const u = Math.min(1, Math.max(0, t));
  const blue = [0, 139, 251];
  const red = [255, 0, 82];
  const c = blue.map((b, i) => Math.round(b + (red[i]! - b) * u));
  return `rgb(${c.join(',')})`;
}

/** Colour for the k-th series of a chart. */
export function seriesColor(k: number): string {
  return ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'][k % 8]!;
}

/** A captioned figure holding an <svg> (the caption doubles as its accessible title). */
export function svg(width: number, height: number, title: string, body: string): string {
  return (
    `<figure><figcaption>${esc(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg></figure>`
  );
}

/** Bottom x axis and left y axis with ticks, grid lines and labels. */
export function axes(
  x: Scale,
  y: Scale,
  box: { left: number; right: number; top: number; bottom: number },
  labels: { x?: string; y?: string } = {},
): string {
  const parts: string[] = [];
  for (const t of x.ticks) {
    const p = px(x(t));
    parts.push(`<line x1="${p}" x2="${p}" y1="${box.top}" y2="${box.bottom}" class="grid"/>`);
    parts.push(`<text x="${p}" y="${box.bottom + 14}" text-anchor="middle">${esc(fmt(t))}</text>`);
  }
  for (const t of y.ticks) {
    const p = px(y(t));
    parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${p}" y2="${p}" class="grid"/>`);
    parts.push(
      `<text x="${box.left - 4}" y="${p}" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`,
    );
  }
  parts.push(
    `<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" class="frame"/>`,
  );
  if (labels.x) {
    parts.push(
      `<text x="${(box.left + box.right) / 2}" y="${box.bottom + 30}" text-anchor="middle">${esc(labels.x)}</text>`,
    );
  }
  if (labels.y) {
    const cy = (box.top + box.bottom) / 2;
    parts.push(
      `<text transform="translate(12 ${cy}) rotate(-90)" text-anchor="middle">${esc(labels.y)}</text>`,
    );
  }
  return parts.join('');
}
