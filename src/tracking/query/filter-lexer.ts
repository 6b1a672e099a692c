import { invalidArgument, type OspreyError } from '../../errors/index.js';

/**
 * Tokens of MLflow's search syntax (https://mlflow.org/docs/latest/ml/search/search-runs).
 * `word` covers identifiers (`metrics.train.loss`, `run_id`) and keywords (AND, LIKE, IN, ...);
 * `string` is a '...' or "..." literal, `backtick` a `...` quoted key, `op` a symbolic comparator.
 */
export type Token =
  | { kind: 'word'; text: string; pos: number; end: number }
  | { kind: 'number'; text: string; value: number; pos: number; end: number }
  | { kind: 'string'; text: string; value: string; quote: "'" | '"'; pos: number; end: number }
  | { kind: 'backtick'; text: string; value: string; pos: number; end: number }
  | { kind: 'op'; text: string; pos: number; end: number }
  | { kind: 'lparen' | 'rparen' | 'comma'; text: string; pos: number; end: number }
  | { kind: 'end'; text: ''; pos: number; end: number };

const SYMBOLIC_COMPARATORS = new Set(['=', '!=', '>', '>=', '<', '<=']);
const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_.]/u;
// Numeric literal: optional sign, digits with optional fraction (or a bare fraction), optional exponent.
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** An INVALID_ARGUMENT error naming the offending token and its 0-based position in `source`. */
export function syntaxError(what: string, message: string, pos: number, token?: string): OspreyError {
  return invalidArgument(`Invalid ${what}: ${message} at position ${pos}`, {
    position: pos,
    ...(token === undefined ? {} : { token }),
  });
}

/**
 * Splits a filter / order_by string into tokens. `what` names the input in error messages
 * ("filter", "order_by clause"). Throws INVALID_ARGUMENT on unterminated quotes, unknown
 * characters, malformed numbers and unsupported symbolic comparators (`==`, `<>`).
 */
export function tokenize(source: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "'" || ch === '"' || ch === '`') {
      const { value, end } = readQuoted(source, start, what);
      const text = source.slice(start, end);
      if (ch === '`') tokens.push({ kind: 'backtick', text, value, pos: start, end });
      else tokens.push({ kind: 'string', text, value, quote: ch, pos: start, end });
      i = end;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      const kind = ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma';
      tokens.push({ kind, text: ch, pos: start, end: start + 1 });
      i++;
    } else if ('<>=!'.includes(ch)) {
      let end = start;
      while (end < source.length && '<>=!'.includes(source[end]!)) end++;
      const text = source.slice(start, end);
      if (!SYMBOLIC_COMPARATORS.has(text)) {
        throw syntaxError(what, `unsupported comparator '${text}' (use =, !=, >, >=, <, <=)`, start, text);
      }
      tokens.push({ kind: 'op', text, pos: start, end });
      i = end;
    } else if (/[0-9.+-]/.test(ch)) {
      NUMBER.lastIndex = start;
      const match = NUMBER.exec(source);
      const end = match ? start + match[0].length : start;
      let stop = end;
      while (stop < source.length && WORD_PART.test(source[stop]!)) stop++;
      if (!match || stop !== end) {
        while (stop < source.length && !/[\s(),'"`<>=!]/.test(source[stop]!)) stop++;
        const text = source.slice(start, Math.max(stop, start + 1));
        const previous = tokens.at(-1);
        if (previous?.kind === 'word' && previous.end === start && previous.text.includes('.')) {
          // `metrics.cross-entropy-loss`: a key with special characters that was not quoted.
          const key = previous.text + text;
          const dot = key.indexOf('.');
          const hint = `${key.slice(0, dot)}.\`${key.slice(dot + 1)}\``;
          throw syntaxError(what, `unexpected '${text}' in '${key}'; quote such keys: ${hint}`, start, text);
        }
        throw syntaxError(what, `malformed number or unexpected character '${text}'`, start, text);
      }
      const value = Number(match[0]);
      if (!Number.isFinite(value)) {
        throw syntaxError(what, `number ${match[0]} is out of range for a double`, start, match[0]);
      }
      tokens.push({ kind: 'number', text: match[0], value, pos: start, end });
      i = end;
    } else if (WORD_START.test(ch)) {
      let end = start + 1;
      while (end < source.length && WORD_PART.test(source[end]!)) end++;
      tokens.push({ kind: 'word', text: source.slice(start, end), pos: start, end });
      i = end;
    } else {
      throw syntaxError(what, `unexpected character '${ch}'`, start, ch);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: source.length, end: source.length });
  return tokens;
}

/**
 * Reads a quoted run starting at `start` (quote char `'`, `"` or a backtick). Inside, a doubled
 * quote (SQL style) or a backslash before the quote or another backslash stands for that
 * character; any other backslash is kept as written so LIKE patterns keep their backslashes.
 */
function readQuoted(source: string, start: number, what: string): { value: string; end: number } {
  const quote = source[start]!;
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\' && (source[i + 1] === quote || source[i + 1] === '\\')) {
      value += source[i + 1];
      i += 2;
    } else if (ch === quote) {
      if (source[i + 1] === quote) {
        value += quote;
        i += 2;
      } else {
        return { value, end: i + 1 };
      }
    } else {
      value += ch;
      i++;
    }
  }
  const label = quote === '`' ? 'backtick-quoted key' : 'string';
  throw syntaxError(what, `unterminated ${label} starting with ${quote}`, start, source.slice(start));
}
