import { syntaxError, type Token } from './filter-lexer.js';
import type { EntityGrammar, FilterEntity, KeySpec, SearchGrammar } from './filter-types.js';

/** An identifier resolved against a grammar: canonical entity + key, its spec, and how it was written. */
export interface ResolvedIdentifier {
  entity: FilterEntity;
  key: string;
  spec: KeySpec;
  /** The identifier as written (`metrics."f1 score"`), for error messages. */
  text: string;
  pos: number;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE']);

/** Whether an identifier is read to filter on it or to order by it (the grammar allows different keys). */
export type IdentifierUse = 'filter' | 'order';

const ENTITY_NOUN: Readonly<Record<FilterEntity, string>> = {
  metric: 'metric',
  param: 'param',
  tag: 'tag',
  attribute: 'attribute',
  dataset: 'dataset field',
};

/** A readable name for an identifier in messages: `metric 'metrics.acc'`. */
export function describeIdentifier(id: ResolvedIdentifier): string {
  return `${ENTITY_NOUN[id.entity]} '${id.text}'`;
}

/**
 * Reads the identifier starting at `tokens[index]`: `prefix.key`, `prefix."quoted key"`,
 * ``prefix.`quoted key` ``, or a bare (attribute) name. The first dot separates the prefix, so
 * `tags.mlflow.source.name` is tag `mlflow.source.name`. Returns the index after the identifier.
 */
export function readIdentifier(
  tokens: readonly Token[],
  index: number,
  grammar: SearchGrammar,
  use: IdentifierUse,
  what: string,
): { id: ResolvedIdentifier; next: number } {
  const resolve = (entity: FilterEntity, key: string, text: string, pos: number) =>
    resolveKey(grammar, entity, key, text, pos, use, what);
  const token = tokens[index]!;
  if (token.kind === 'word') {
    if (KEYWORDS.has(token.text.toUpperCase())) {
      throw syntaxError(
        what,
        `expected an identifier but found keyword '${token.text}'`,
        token.pos,
        token.text,
      );
    }
    const dot = token.text.indexOf('.');
    if (dot < 0) {
      const id = resolve(grammar.defaultEntity, token.text, token.text, token.pos);
      return { id, next: index + 1 };
    }
    const prefix = token.text.slice(0, dot);
    const entity = entityOf(grammar, prefix, token, what);
    const rest = token.text.slice(dot + 1);
    const following = tokens[index + 1]!;
    const quotedKeyFollows =
      following.pos === token.end &&
      (following.kind === 'backtick' || (following.kind === 'string' && following.quote === '"'));
    if (rest === '' && quotedKeyFollows) {
      const text = token.text + following.text;
      return { id: resolve(entity, following.value, text, token.pos), next: index + 2 };
    }
    if (rest === '' && following.kind === 'string' && following.pos === token.end) {
      throw syntaxError(
        what,
        `single quotes are for values; quote the key in '${token.text}${following.text}' with " or backticks`,
        following.pos,
        following.text,
      );
    }
    if (quotedKeyFollows) {
      throw syntaxError(
        what,
        `a quoted key must directly follow the prefix: write ${prefix}.${following.text}`,
        following.pos,
        following.text,
      );
    }
    return { id: resolve(entity, rest, token.text, token.pos), next: index + 1 };
  }
  if (token.kind === 'backtick' || (token.kind === 'string' && token.quote === '"')) {
    // A quoted name without a prefix, e.g. `run name`, is an attribute like a bare name.
    const id = resolve(grammar.defaultEntity, token.value, token.text, token.pos);
    return { id, next: index + 1 };
  }
  throw unexpected(token, what);
}

function unexpected(token: Token, what: string) {
  switch (token.kind) {
    case 'lparen':
    case 'rparen':
      return syntaxError(
        what,
        'parentheses are not supported (only in IN (...) lists); join comparisons with AND',
        token.pos,
        token.text,
      );
    case 'end':
      return syntaxError(what, 'expected an identifier but reached the end', token.pos);
    case 'string':
      return syntaxError(
        what,
        `expected an identifier but found the value ${token.text}; single quotes are for values`,
        token.pos,
        token.text,
      );
    default:
      return syntaxError(what, `expected an identifier but found '${token.text}'`, token.pos, token.text);
  }
}

function entityOf(grammar: SearchGrammar, prefix: string, token: Token, what: string): FilterEntity {
  const lower = prefix.toLowerCase();
  for (const [entity, spec] of Object.entries(grammar.entities) as [FilterEntity, EntityGrammar][]) {
    if (spec.prefixes.includes(lower)) return entity;
  }
  const valid = Object.values(grammar.entities)
    .map((spec) => spec.prefixes.join('/'))
    .join(', ');
  throw syntaxError(
    what,
    `unknown entity type '${prefix}' in '${token.text}' for ${grammar.target} (valid: ${valid})`,
    token.pos,
    token.text,
  );
}

function usable(spec: KeySpec, use: IdentifierUse): boolean {
  return use === 'filter' ? spec.comparators.length > 0 : spec.orderable;
}

function resolveKey(
  grammar: SearchGrammar,
  entity: FilterEntity,
  key: string,
  text: string,
  pos: number,
  use: IdentifierUse,
  what: string,
): ResolvedIdentifier {
  const spec = grammar.entities[entity];
  if (spec === undefined) throw new Error(`grammar for ${grammar.target} lacks its default entity ${entity}`);
  if (key === '') throw syntaxError(what, `empty key in '${text}'`, pos, text);
  const verb = use === 'filter' ? 'filter' : 'order';
  const keySpec = spec.openKeys ?? lookupKey(spec, key);
  if (keySpec !== undefined && usable(keySpec, use)) {
    const canonical = spec.openKeys === undefined ? canonicalKey(spec, key) : key;
    return { entity, key: canonical, spec: keySpec, text, pos };
  }
  if (keySpec !== undefined || spec.keys === undefined) {
    const other = use === 'filter' ? 'order' : 'filter';
    throw syntaxError(
      what,
      `${ENTITY_NOUN[entity]} '${text}' can ${other} ${grammar.target} but not ${verb} them`,
      pos,
      text,
    );
  }
  const keys = spec.keys;
  const valid = Object.keys(keys).filter((name) => usable(keys[name]!, use));
  const aliases = Object.entries(spec.aliases ?? {})
    .filter(([, target]) => valid.includes(target))
    .map(([alias]) => alias);
  const aliasText = aliases.length > 0 ? `; aliases: ${aliases.join(', ')}` : '';
  throw syntaxError(
    what,
    `unknown ${ENTITY_NOUN[entity]} '${key}' for ${verb}ing ${grammar.target} (valid: ${valid.join(', ')}${aliasText})`,
    pos,
    text,
  );
}

/** Closed keys match case-insensitively and through aliases (`Created` → `start_time`). */
function canonicalKey(spec: EntityGrammar, key: string): string {
  const lower = key.toLowerCase();
  return spec.aliases?.[lower] ?? lower;
}

function lookupKey(spec: EntityGrammar, key: string): KeySpec | undefined {
  const keys = spec.keys ?? {};
  const canonical = canonicalKey(spec, key);
  return Object.hasOwn(keys, canonical) ? keys[canonical] : undefined;
}
