import { invalidArgument } from '../../errors/index.js';

/** Options of a LIKE match: ILIKE folds case; `escape` makes the next character literal (SQL `ESCAPE`). */
export interface LikeOptions {
  readonly caseInsensitive?: boolean;
  /** One character; none by default, as in SQLite and MLflow (PostgreSQL defaults to backslash). */
  readonly escape?: string;
}

// Pattern elements: '%' = any run of characters (possibly empty), '_' = exactly one character.
type Element = { kind: 'any' } | { kind: 'one' } | { kind: 'char'; ch: string };

/**
 * Compiles a SQL LIKE pattern (ISO/IEC 9075-2 §8.5 <like predicate>) into a matcher.
 * `%` matches any sequence, `_` one character (one code point); everything else, regex
 * metacharacters included, matches itself; the whole value must match. ILIKE lower-cases value
 * and pattern (String#toLowerCase, as PostgreSQL's lower()). No regular expression is built,
 * so a hostile pattern like `%a%a%a%b` costs O(|value|·|pattern|), never exponential time.
 */
export function compileLike(pattern: string, options: LikeOptions = {}): (value: string) => boolean {
  if (typeof pattern !== 'string') throw invalidArgument('LIKE pattern must be a string');
  const fold = options.caseInsensitive === true;
  const elements = parsePattern(fold ? pattern.toLowerCase() : pattern, options.escape);
  const literalOnly = elements.every((e) => e.kind === 'char');
  if (literalOnly) {
    const literal = elements.map((e) => (e.kind === 'char' ? e.ch : '')).join('');
    return (value) => (fold ? value.toLowerCase() : value) === literal;
  }
  return (value) => matchElements(Array.from(fold ? value.toLowerCase() : value), elements);
}

/** Whether `value LIKE pattern` (or ILIKE with `caseInsensitive`) holds. */
export function sqlLike(value: string, pattern: string, options: LikeOptions = {}): boolean {
  return compileLike(pattern, options)(value);
}

function parsePattern(pattern: string, escapeChar: string | undefined): Element[] {
  if (escapeChar !== undefined && Array.from(escapeChar).length !== 1) {
    throw invalidArgument(`LIKE escape must be exactly one character, got '${escapeChar}'`);
  }
  const chars = Array.from(pattern);
  const elements: Element[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === escapeChar) {
      const next = chars[i + 1];
      if (next === undefined)
        throw invalidArgument(`LIKE pattern '${pattern}' ends with its escape character`);
      elements.push({ kind: 'char', ch: next });
      i++;
    } else if (ch === '%') {
      // Runs of % mean the same as one; collapsing them keeps the matcher's backtracking small.
      if (elements.at(-1)?.kind !== 'any') elements.push({ kind: 'any' });
    } else if (ch === '_') {
      elements.push({ kind: 'one' });
    } else {
      elements.push({ kind: 'char', ch });
    }
  }
  return elements;
}

/**
 * Greedy wildcard matching with a single backtrack point (the last '%' seen): on a mismatch,
 * retry with that '%' swallowing one more character. Correct because a later '%' can absorb
 * anything an earlier one could, so only the most recent one needs revisiting.
 */
function matchElements(text: readonly string[], pattern: readonly Element[]): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const element = pattern[p];
    if (
      element !== undefined &&
      (element.kind === 'one' || (element.kind === 'char' && element.ch === text[t]))
    ) {
      t++;
      p++;
    } else if (element?.kind === 'any') {
      star = p;
      resume = t;
      p++;
    } else if (star >= 0) {
      p = star + 1;
      resume++;
      t = resume;
    } else {
      return false;
    }
  }
  while (pattern[p]?.kind === 'any') p++;
  return p === pattern.length;
}
