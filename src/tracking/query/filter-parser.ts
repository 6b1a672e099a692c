import { syntaxError, type Token, tokenize } from './filter-lexer.js';
import type { Comparator, FilterClause, SearchGrammar } from './filter-types.js';
import { describeIdentifier as describe, type ResolvedIdentifier, readIdentifier } from './identifier.js';
import {
  EXPERIMENT_SEARCH_GRAMMAR,
  MODEL_VERSION_SEARCH_GRAMMAR,
  REGISTERED_MODEL_SEARCH_GRAMMAR,
  RUN_SEARCH_GRAMMAR,
} from './search-grammars.js';

const WHAT = 'filter';

/**
 * Parses a search filter against a grammar table into its AND-ed clauses.
 * Grammar (MLflow search syntax, https://mlflow.org/docs/latest/ml/search/search-runs):
 *   filter     := ε | comparison (AND comparison)*
 *   comparison := identifier comparator value
 *   value      := number | 'string' | "string" | ( 'string' [, 'string']* )   -- the list only after IN / NOT IN
 * Keywords are case-insensitive. OR, parentheses and NOT other than NOT IN are rejected.
 */
export function parseFilter(filter: string | undefined, grammar: SearchGrammar): FilterClause[] {
  if (filter === undefined) return [];
  if (typeof filter !== 'string') throw syntaxError(WHAT, 'the filter must be a string', 0);
  const tokens = tokenize(filter, WHAT);
  const clauses: FilterClause[] = [];
  let i = 0;
  if (tokens[0]!.kind === 'end') return clauses;
  for (;;) {
    const parsed = readComparison(tokens, i, grammar);
    clauses.push(parsed.clause);
    i = parsed.next;
    const joiner = tokens[i]!;
    if (joiner.kind === 'end') return clauses;
    const upper = joiner.kind === 'word' ? joiner.text.toUpperCase() : '';
    if (upper === 'OR') {
      throw syntaxError(
        WHAT,
        `'${joiner.text}' is not supported; comparisons can only be joined with AND`,
        joiner.pos,
        joiner.text,
      );
    }
    if (upper !== 'AND') {
      throw syntaxError(
        WHAT,
        `expected AND or the end of the filter after a comparison, found '${joiner.text}'`,
        joiner.pos,
        joiner.text,
      );
    }
    if (tokens[i + 1]!.kind === 'end') {
      throw syntaxError(WHAT, "trailing 'AND' with no comparison after it", joiner.pos, joiner.text);
    }
    i++;
  }
}

/** Parses an MLflow search_runs filter; undefined or blank gives no clauses. */
export function parseRunFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, RUN_SEARCH_GRAMMAR);
}

/** Parses an MLflow search_experiments filter (name, creation_time, last_update_time, tags). */
export function parseExperimentFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, EXPERIMENT_SEARCH_GRAMMAR);
}

/** What a registry search lists: registered models or model versions. */
export type RegistrySearchTarget = 'registered_model' | 'model_version';

/** Parses a registered-model or model-version search filter (name, run_id, source, version_number, tags). */
export function parseRegistryFilter(
  filter: string | undefined,
  target: RegistrySearchTarget,
): FilterClause[] {
  return parseFilter(filter, registryGrammar(target));
}

/** The grammar table of a registry search target. */
export function registryGrammar(target: RegistrySearchTarget): SearchGrammar {
  if (target === 'registered_model') return REGISTERED_MODEL_SEARCH_GRAMMAR;
  if (target === 'model_version') return MODEL_VERSION_SEARCH_GRAMMAR;
  throw syntaxError(WHAT, `unknown registry search target '${String(target)}'`, 0);
}

function readComparison(
  tokens: readonly Token[],
  index: number,
  grammar: SearchGrammar,
): { clause: FilterClause; next: number } {
  const { id, next: afterId } = readIdentifier(tokens, index, grammar, 'filter', WHAT);
  const { comparator, token: cmpToken, next: afterCmp } = readComparator(tokens, afterId, id);
  if (!id.spec.comparators.includes(comparator)) {
    throw syntaxError(
      WHAT,
      `comparator ${comparator} is not supported for ${describe(id)} (allowed: ${id.spec.comparators.join(', ')})`,
      cmpToken.pos,
      cmpToken.text,
    );
  }
  if (comparator === 'IN' || comparator === 'NOT IN') {
    const { values, next } = readList(tokens, afterCmp, id, comparator);
    return { clause: { entity: id.entity, key: id.key, comparator, value: values }, next };
  }
  const valueToken = tokens[afterCmp]!;
  const value = readScalar(valueToken, id, comparator);
  return { clause: { entity: id.entity, key: id.key, comparator, value }, next: afterCmp + 1 };
}

function readComparator(
  tokens: readonly Token[],
  index: number,
  id: ResolvedIdentifier,
): { comparator: Comparator; token: Token; next: number } {
  const token = tokens[index]!;
  if (token.kind === 'op') return { comparator: token.text as Comparator, token, next: index + 1 };
  if (token.kind === 'word') {
    const upper = token.text.toUpperCase();
    if (upper === 'LIKE' || upper === 'ILIKE' || upper === 'IN') {
      return { comparator: upper, token, next: index + 1 };
    }
    if (upper === 'NOT') {
      const following = tokens[index + 1]!;
      if (following.kind === 'word' && following.text.toUpperCase() === 'IN') {
        return { comparator: 'NOT IN', token, next: index + 2 };
      }
      throw syntaxError(WHAT, "NOT is only supported as 'NOT IN'", token.pos, token.text);
    }
  }
  if (token.kind === 'end') {
    throw syntaxError(WHAT, `expected a comparator after '${id.text}' but reached the end`, token.pos);
  }
  throw syntaxError(
    WHAT,
    `expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN) after '${id.text}', found '${token.text}'`,
    token.pos,
    token.text,
  );
}

function readScalar(token: Token, id: ResolvedIdentifier, comparator: Comparator): string | number {
  if (token.kind === 'end') {
    throw syntaxError(
      WHAT,
      `expected a value after '${id.text} ${comparator}' but reached the end`,
      token.pos,
    );
  }
  if (id.spec.type === 'number') {
    if (token.kind === 'number') return token.value;
    const hint = token.kind === 'string' ? ` (write ${token.value} without quotes)` : '';
    throw syntaxError(
      WHAT,
      `${describe(id)} needs a numeric value, found ${token.text}${hint}`,
      token.pos,
      token.text,
    );
  }
  if (token.kind === 'string') return token.value;
  if (token.kind === 'backtick') {
    throw syntaxError(
      WHAT,
      `backticks quote keys, not values; write '${token.value}' for ${describe(id)}`,
      token.pos,
      token.text,
    );
  }
  const hint = token.kind === 'number' || token.kind === 'word' ? ` (write '${token.text}')` : '';
  throw syntaxError(
    WHAT,
    `${describe(id)} needs a quoted string value, found ${token.text}${hint}`,
    token.pos,
    token.text,
  );
}

function readList(
  tokens: readonly Token[],
  index: number,
  id: ResolvedIdentifier,
  comparator: Comparator,
): { values: string[]; next: number } {
  const open = tokens[index]!;
  if (open.kind !== 'lparen') {
    throw syntaxError(
      WHAT,
      `${comparator} needs a parenthesised list like ('a', 'b'), found ${open.kind === 'end' ? 'the end' : open.text}`,
      open.pos,
      open.text,
    );
  }
  const values: string[] = [];
  let i = index + 1;
  for (;;) {
    const item = tokens[i]!;
    if (item.kind !== 'string') {
      if (item.kind === 'rparen' && values.length === 0) {
        throw syntaxError(WHAT, `empty ${comparator} list for ${describe(id)}`, item.pos, item.text);
      }
      const found = item.kind === 'end' ? 'the end' : `'${item.text}'`;
      throw syntaxError(
        WHAT,
        `${comparator} list for ${describe(id)} must hold quoted strings, found ${found}`,
        item.pos,
        item.text,
      );
    }
    values.push(item.value);
    const sep = tokens[i + 1]!;
    if (sep.kind === 'rparen') return { values, next: i + 2 };
    if (sep.kind !== 'comma') {
      const found = sep.kind === 'end' ? 'the end (missing closing parenthesis)' : `'${sep.text}'`;
      throw syntaxError(WHAT, `expected ',' or ')' in ${comparator} list, found ${found}`, sep.pos, sep.text);
    }
    i += 2;
  }
}
