import { invalidArgument } from '../../errors/index.js';
import { syntaxError, tokenize } from './filter-lexer.js';
import { type RegistrySearchTarget, registryGrammar } from './filter-parser.js';
import type { OrderByClause, SearchGrammar } from './filter-types.js';
import { readIdentifier } from './identifier.js';
import { EXPERIMENT_SEARCH_GRAMMAR, RUN_SEARCH_GRAMMAR } from './search-grammars.js';

/**
 * Parses order_by terms `"<identifier> [ASC|DESC]"` (ASC by default, keywords case-insensitive)
 * with the same identifiers as the filter, e.g. `["metrics.rmse", "params.input DESC"]`
 * (https://mlflow.org/docs/latest/ml/search/search-runs, "Ordering"). A key ordered twice is
 * rejected: the second term could never take effect.
 */
export function parseOrderBy(
  orderBy: readonly string[] | undefined,
  grammar: SearchGrammar,
): OrderByClause[] {
  if (orderBy === undefined) return [];
  if (!Array.isArray(orderBy)) throw invalidArgument('order_by must be a list of strings');
  const clauses: OrderByClause[] = [];
  const seen = new Set<string>();
  for (const term of orderBy) {
    if (typeof term !== 'string')
      throw invalidArgument(`order_by entries must be strings, got ${typeof term}`);
    const what = `order_by clause '${term}'`;
    const tokens = tokenize(term, what);
    if (tokens[0]!.kind === 'end') throw invalidArgument('Invalid order_by: empty clause');
    const { id, next } = readIdentifier(tokens, 0, grammar, 'order', what);
    let ascending = true;
    let i = next;
    const direction = tokens[i]!;
    if (direction.kind === 'word' && /^(asc|desc)$/i.test(direction.text)) {
      ascending = direction.text.toUpperCase() === 'ASC';
      i++;
    } else if (direction.kind === 'comma') {
      throw syntaxError(what, 'give each order_by term as its own list entry', direction.pos, direction.text);
    } else if (direction.kind !== 'end') {
      throw syntaxError(
        what,
        `expected ASC or DESC after '${id.text}', found '${direction.text}'`,
        direction.pos,
        direction.text,
      );
    }
    const extra = tokens[i]!;
    if (extra.kind !== 'end') {
      throw syntaxError(what, `unexpected '${extra.text}' after the sort direction`, extra.pos, extra.text);
    }
    const identity = `${id.entity}\u0000${id.key}`;
    if (seen.has(identity)) throw invalidArgument(`Invalid order_by: '${id.text}' is ordered more than once`);
    seen.add(identity);
    clauses.push({ entity: id.entity, key: id.key, ascending });
  }
  return clauses;
}

/** Parses search_runs order_by (metrics, params, tags, run attributes). */
export function parseRunOrderBy(orderBy: readonly string[] | undefined): OrderByClause[] {
  return parseOrderBy(orderBy, RUN_SEARCH_GRAMMAR);
}

/** Parses search_experiments order_by (name, experiment_id, creation_time, last_update_time). */
export function parseExperimentOrderBy(orderBy: readonly string[] | undefined): OrderByClause[] {
  return parseOrderBy(orderBy, EXPERIMENT_SEARCH_GRAMMAR);
}

/** Parses registered-model / model-version order_by (name, timestamps, version_number). */
export function parseRegistryOrderBy(
  orderBy: readonly string[] | undefined,
  target: RegistrySearchTarget,
): OrderByClause[] {
  return parseOrderBy(orderBy, registryGrammar(target));
}
