/** A GitHub-flavoured markdown table; numeric-looking columns are right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-\d.,%× ]+$|^[-–]$/.test(r[i] ?? '')),
  );
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (numeric[i] ? '---:' : '---'))), ...rows.map(line)].join(
    '\n',
  );
}

/** A count with thousands separators (`123,456`). */
export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds with a precision that suits their size. */
export function fmtMs(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A ratio as a percentage (`42%`). */
export function fmtPct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}

/** A ratio as a multiple (`3.4×`, `0.02×`: two significant digits below 1, so a small ratio is not 0.0×). */
export function fmtTimes(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toPrecision(2)}×`;
}
