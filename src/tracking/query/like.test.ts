import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileLike, sqlLike } from './like.js';

// Expected results follow the SQL standard's <like predicate> (ISO/IEC 9075-2 §8.5) as
// implemented by PostgreSQL: `%` any sequence, `_` exactly one character, whole-value match.
describe('sqlLike', () => {
  const cases: [value: string, pattern: string, expected: boolean][] = [
    ['sklearn-1.4', 'sklearn%', true],
    ['sklearn', 'sklearn%', true],
    ['my-sklearn', 'sklearn%', false],
    ['abc', '%b%', true],
    ['abc', '%d%', false],
    ['abc', 'a_c', true],
    ['ac', 'a_c', false],
    ['abbc', 'a_c', false],
    ['', '%', true],
    ['', '_', false],
    ['', '', true],
    ['x', '', false],
    ['abc', 'abc', true],
    ['abc', 'ab', false],
    ['abc', '%%%', true],
    ['a.c', 'a.c', true],
    ['abc', 'a.c', false], // '.' is not a regex wildcard here
    ['a+b*c', 'a+b*c', true],
    ['aab', 'a+b', false],
    ['(x)[y]{z}^$|\\', '(x)[y]{z}^$|\\', true],
    ['line1\nline2', 'line1%line2', true], // % spans newlines
    ['😀x', '_x', true], // _ is one code point, not one UTF-16 unit
    ['mississippi', '%iss%ppi', true],
    ['mississippi', 'm%s%s%s%s%i', true], // four s: matches
    ['mississippi', 'm%s%s%s%s%s%i', false], // five s: cannot
    ['GPT-4', 'GPT%', true],
    ['gpt-4', 'GPT%', false], // LIKE is case-sensitive
  ];
  for (const [value, pattern, expected] of cases) {
    it(`'${value}' LIKE '${pattern}' is ${expected}`, () => {
      assert.equal(sqlLike(value, pattern), expected);
    });
  }

  it('ILIKE folds case on both sides', () => {
    assert.equal(sqlLike('gpt-4', 'GPT%', { caseInsensitive: true }), true);
    assert.equal(sqlLike('Logistic Regression', '%logistic%', { caseInsensitive: true }), true);
    assert.equal(sqlLike('ÉCOLE', 'école', { caseInsensitive: true }), true);
    assert.equal(sqlLike('abc', 'ABD', { caseInsensitive: true }), false);
  });

  it('an escape character makes % and _ literal', () => {
    const options = { escape: '\\' };
    assert.equal(sqlLike('100%', '100\\%', options), true);
    assert.equal(sqlLike('1000', '100\\%', options), false);
    assert.equal(sqlLike('a_b', 'a\\_b', options), true);
    assert.equal(sqlLike('axb', 'a\\_b', options), false);
    assert.equal(sqlLike('a\\b', 'a\\\\b', options), true);
    assert.equal(sqlLike('a!%', 'a!!!%', { escape: '!' }), true);
  });

  it('without an escape character, a backslash is an ordinary character', () => {
    assert.equal(sqlLike('a\\xb', 'a\\_b'), true);
    assert.equal(sqlLike('a_b', 'a\\_b'), false);
  });

  it('rejects a pattern ending in its escape and a multi-character escape', () => {
    assert.throws(() => sqlLike('a', 'a\\', { escape: '\\' }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => sqlLike('a', 'a', { escape: '!!' }), { code: 'INVALID_ARGUMENT' });
  });

  it('stays fast on patterns that make regex engines backtrack exponentially', () => {
    const match = compileLike('%a%a%a%a%a%a%a%a%b');
    const value = 'a'.repeat(5000);
    const started = performance.now();
    assert.equal(match(value), false);
    // Quadratic bound: ~5000 × 18 steps; generous ceiling so a slow CI machine cannot flake.
    assert.ok(performance.now() - started < 2000);
  });

  it('agrees with a regular-expression reference on 3,000 random value/pattern pairs', () => {
    // Reference: the textbook translation % → [\s\S]*, _ → one code point, anchored at both ends.
    const reference = (value: string, pattern: string) => {
      const source = Array.from(pattern)
        .map((ch) => (ch === '%' ? '[\\s\\S]*' : ch === '_' ? '.' : ch))
        .join('');
      return new RegExp(`^${source}$`, 'su').test(value);
    };
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let n = 0; n < 3000; n++) {
      const value = pick('ab', Math.floor(random() * 8));
      const pattern = pick('ab%_', Math.floor(random() * 6));
      assert.equal(sqlLike(value, pattern), reference(value, pattern), `'${value}' LIKE '${pattern}'`);
    }
  });

  it('compiled matchers are reusable', () => {
    const match = compileLike('run-__');
    assert.deepEqual(['run-01', 'run-1', 'run-abc', 'run-xy'].map(match), [true, false, false, true]);
  });
});
