import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOspreyError } from '../../errors/index.js';
import { parseExperimentFilter, parseRegistryFilter, parseRunFilter } from './filter-parser.js';
import type { FilterClause } from './filter-types.js';
import { RUN_SEARCH_GRAMMAR } from './search-grammars.js';

// Expected ASTs come from MLflow's documentation of the search grammar; each row names its page:
//   [runs]    https://mlflow.org/docs/latest/ml/search/search-runs
//   [runs-2x] https://mlflow.org/docs/2.0.1/search-runs.html (older examples, still valid syntax)
//   [exps]    https://mlflow.org/docs/latest/ml/search/search-experiments
//   [osprey]  not in MLflow's docs: Osprey's reading of the grammar (reference/tracking.md §2)

const metric = (key: string, comparator: FilterClause['comparator'], value: number): FilterClause => ({
  entity: 'metric',
  key,
  comparator,
  value,
});
const clause = (
  entity: FilterClause['entity'],
  key: string,
  comparator: FilterClause['comparator'],
  value: FilterClause['value'],
): FilterClause => ({ entity, key, comparator, value });

const VALID_RUN_FILTERS: [source: string, filter: string, expected: FilterClause[]][] = [
  ['runs-2x', 'metrics.accuracy > 0.92', [metric('accuracy', '>', 0.92)]],
  [
    'runs-2x',
    'params.model = "LogisticRegression" and params.lambda = "0.001" and metrics.error <= 0.05',
    [
      clause('param', 'model', '=', 'LogisticRegression'),
      clause('param', 'lambda', '=', '0.001'),
      metric('error', '<=', 0.05),
    ],
  ],
  ['runs-2x', 'attributes.status = "FAILED"', [clause('attribute', 'status', '=', 'FAILED')]],
  ['runs-2x', 'attributes.created > 1670628787527', [clause('attribute', 'start_time', '>', 1670628787527)]],
  ['runs-2x', 'attributes.Created > 1670628787527', [clause('attribute', 'start_time', '>', 1670628787527)]],
  [
    'runs-2x',
    'attributes.start_time > 1670628787527',
    [clause('attribute', 'start_time', '>', 1670628787527)],
  ],
  ['runs-2x', 'metrics.`f1 score` > 0.5', [metric('f1 score', '>', 0.5)]],
  [
    'runs-2x',
    "tags.`mlflow.user` = 'john@mlflow.com'",
    [clause('tag', 'mlflow.user', '=', 'john@mlflow.com')],
  ],
  ['runs-2x', "tags.`model` LIKE 'sklearn%'", [clause('tag', 'model', 'LIKE', 'sklearn%')]],
  ['runs-2x', "tags.`type` ILIKE '%Logistic%'", [clause('tag', 'type', 'ILIKE', '%Logistic%')]],
  ['runs-2x', "attributes.`run name` = 'alpha'", [clause('attribute', 'run_name', '=', 'alpha')]],
  ['runs-2x', "attributes.`Run name` = 'alpha'", [clause('attribute', 'run_name', '=', 'alpha')]],
  ['runs-2x', "attributes.`Run Name` = 'alpha'", [clause('attribute', 'run_name', '=', 'alpha')]],
  ['runs-2x', 'params."model-type" = \'cnn\'', [clause('param', 'model-type', '=', 'cnn')]],
  ['runs-2x', 'metrics.`error rate` < 0.1', [metric('error rate', '<', 0.1)]],
  ['runs-2x', 'metrics."2019-04-02 error rate" < 0.1', [metric('2019-04-02 error rate', '<', 0.1)]],
  [
    'runs-2x',
    "attributes.artifact_uri = 'models:/mymodel/1'",
    [clause('attribute', 'artifact_uri', '=', 'models:/mymodel/1')],
  ],
  ['runs-2x', 'attributes.end_time < 1664067852747', [clause('attribute', 'end_time', '<', 1664067852747)]],
  ['runs-2x', "attributes.user_id = 'user1'", [clause('attribute', 'user_id', '=', 'user1')]],
  ['runs-2x', "attributes.run_name = 'my-run'", [clause('attribute', 'run_name', '=', 'my-run')]],
  ['runs-2x', 'tags."mlflow.user" = \'ann\'', [clause('tag', 'mlflow.user', '=', 'ann')]],
  ['runs-2x', "tags.`mlflow.parentRunId` = 'abc'", [clause('tag', 'mlflow.parentRunId', '=', 'abc')]],
  [
    'runs-2x',
    "metrics.rmse < 0.9 and tags.production = 'true'",
    [metric('rmse', '<', 0.9), clause('tag', 'production', '=', 'true')],
  ],
  ['runs-2x', 'metrics.accuracy_score < 99.90', [metric('accuracy_score', '<', 99.9)]],
  ['runs', 'metrics.loss <= 0.15', [metric('loss', '<=', 0.15)]],
  ['runs', 'metrics.accuracy != 0.15', [metric('accuracy', '!=', 0.15)]],
  ['runs', 'metrics."accuracy" > 0.72', [metric('accuracy', '>', 0.72)]],
  ['runs', 'metrics.`log-scale-loss` <= 0', [metric('log-scale-loss', '<=', 0)]],
  [
    'runs',
    'metrics.accuracy > 0.72 AND metrics.loss <= 0.15',
    [metric('accuracy', '>', 0.72), metric('loss', '<=', 0.15)],
  ],
  ['runs', 'params.model = "GPT-4o"', [clause('param', 'model', '=', 'GPT-4o')]],
  ['runs', 'params.model LIKE "GPT%"', [clause('param', 'model', 'LIKE', 'GPT%')]],
  ['runs', 'params.model ILIKE "gpt%"', [clause('param', 'model', 'ILIKE', 'gpt%')]],
  ['runs', 'params.batch_size = "2"', [clause('param', 'batch_size', '=', '2')]],
  ['runs', 'params.batch_size != "None"', [clause('param', 'batch_size', '!=', 'None')]],
  ['runs', 'tags.environment = "notebook"', [clause('tag', 'environment', '=', 'notebook')]],
  ['runs', 'tags.task ILIKE "classif%"', [clause('tag', 'task', 'ILIKE', 'classif%')]],
  ['runs', "tag.`test` = 'abc'", [clause('tag', 'test', '=', 'abc')]],
  ['runs', 'tag."test" = "abc"', [clause('tag', 'test', '=', 'abc')]],
  [
    'runs',
    "datasets.name IN ('custom', 'also custom', 'another custom name')",
    [clause('dataset', 'name', 'IN', ['custom', 'also custom', 'another custom name'])],
  ],
  [
    'runs',
    "datasets.digest IN ('s8ds293b', 'jks834s2')",
    [clause('dataset', 'digest', 'IN', ['s8ds293b', 'jks834s2'])],
  ],
  ['runs', 'datasets.name LIKE "custom"', [clause('dataset', 'name', 'LIKE', 'custom')]],
  ['runs', 'datasets.context = "train"', [clause('dataset', 'context', '=', 'train')]],
  ['runs', 'attributes.status = "ACTIVE"', [clause('attribute', 'status', '=', 'ACTIVE')]],
  ['runs', 'attributes.user_id LIKE "user1"', [clause('attribute', 'user_id', 'LIKE', 'user1')]],
  ['runs', 'attributes.run_id = "a1b2c3d4"', [clause('attribute', 'run_id', '=', 'a1b2c3d4')]],
  [
    'runs',
    "attributes.run_id IN ('a1b2c3d4', 'e5f6g7h8')",
    [clause('attribute', 'run_id', 'IN', ['a1b2c3d4', 'e5f6g7h8'])],
  ],
  [
    'runs',
    "metrics.accuracy > 0.72 AND metrics.batch_size != 0 AND attributes.run_id IN ('a1b2c3d4', 'e5f6g7h8')",
    [
      metric('accuracy', '>', 0.72),
      metric('batch_size', '!=', 0),
      clause('attribute', 'run_id', 'IN', ['a1b2c3d4', 'e5f6g7h8']),
    ],
  ],
  [
    'runs',
    'metrics.loss <= 0.15 AND metrics.loss >= 0.1',
    [metric('loss', '<=', 0.15), metric('loss', '>=', 0.1)],
  ],
  [
    'runs',
    '\nattributes.run_id IN (\'22db81f0\',\'c3680e37\')\n  AND metrics.loss > 0.3\n  AND metrics."f1 score" < 0.5\n  AND params.model LIKE "GPT%"\n',
    [
      clause('attribute', 'run_id', 'IN', ['22db81f0', 'c3680e37']),
      metric('loss', '>', 0.3),
      metric('f1 score', '<', 0.5),
      clause('param', 'model', 'LIKE', 'GPT%'),
    ],
  ],
  ['osprey', '', []],
  ['osprey', '   \n\t ', []],
  ['osprey', "tags.mlflow.source.name = 'train.py'", [clause('tag', 'mlflow.source.name', '=', 'train.py')]],
  ['osprey', 'metrics.train.loss < 0.2', [metric('train.loss', '<', 0.2)]],
  ['osprey', 'metrics.delta > -1.5e-3', [metric('delta', '>', -0.0015)]],
  [
    'osprey',
    'metrics.a >= -2 and metrics.b < 3E2 and metrics.c = .5',
    [metric('a', '>=', -2), metric('b', '<', 300), metric('c', '=', 0.5)],
  ],
  ['osprey', 'metrics.a>1 AND metrics.b<=2', [metric('a', '>', 1), metric('b', '<=', 2)]],
  ['osprey', "params.note = 'it''s'", [clause('param', 'note', '=', "it's")]],
  ['osprey', "params.note = 'it\\'s'", [clause('param', 'note', '=', "it's")]],
  ['osprey', 'params.note = "say \\"hi\\""', [clause('param', 'note', '=', 'say "hi"')]],
  ['osprey', "params.path LIKE 'C:\\dir\\_%'", [clause('param', 'path', 'LIKE', 'C:\\dir\\_%')]],
  ['osprey', 'params.q = \'a "b" c\'', [clause('param', 'q', '=', 'a "b" c')]],
  ['osprey', "tags.`odd``key` = 'x'", [clause('tag', 'odd`key', '=', 'x')]],
  ['osprey', "params.empty = ''", [clause('param', 'empty', '=', '')]],
  [
    'osprey',
    "parameters.lr = '0.1' and param.lr != '0.2'",
    [clause('param', 'lr', '=', '0.1'), clause('param', 'lr', '!=', '0.2')],
  ],
  ['osprey', 'metric.acc > 0', [metric('acc', '>', 0)]],
  [
    'osprey',
    "run.status = 'RUNNING' AND attr.user_id = 'u' AND attribute.run_name = 'n'",
    [
      clause('attribute', 'status', '=', 'RUNNING'),
      clause('attribute', 'user_id', '=', 'u'),
      clause('attribute', 'run_name', '=', 'n'),
    ],
  ],
  [
    'osprey',
    "status = 'FINISHED' and run_name like 'x%' and created >= 0",
    [
      clause('attribute', 'status', '=', 'FINISHED'),
      clause('attribute', 'run_name', 'LIKE', 'x%'),
      clause('attribute', 'start_time', '>=', 0),
    ],
  ],
  ['osprey', "`run name` ilike 'A%'", [clause('attribute', 'run_name', 'ILIKE', 'A%')]],
  ['osprey', "METRICS.acc > 1 aNd Tags.t = 'v'", [metric('acc', '>', 1), clause('tag', 't', '=', 'v')]],
  [
    'osprey',
    "attributes.lifecycle_stage = 'active'",
    [clause('attribute', 'lifecycle_stage', '=', 'active')],
  ],
  ['osprey', "run_id not in ('a')", [clause('attribute', 'run_id', 'NOT IN', ['a'])]],
  [
    'osprey',
    'dataset.context NOT IN (\'eval\', "test")',
    [clause('dataset', 'context', 'NOT IN', ['eval', 'test'])],
  ],
  ['osprey', 'params.1st_iteration = "1"', [clause('param', '1st_iteration', '=', '1')]],
  ['osprey', "tags.`ключ` = 'значение'", [clause('tag', 'ключ', '=', 'значение')]],
];

// Each row: filter, expected message fragment, expected 0-based position of the offending token.
const INVALID_RUN_FILTERS: [filter: string, message: RegExp, position: number][] = [
  ['metrics.a > 1 OR metrics.b > 2', /'OR' is not supported/, 14],
  ['metrics.a > 1 or metrics.b > 2', /'or' is not supported/, 14],
  ['(metrics.a > 1)', /parentheses are not supported/, 0],
  ['metrics.a > 1 AND (metrics.b > 2)', /parentheses are not supported/, 18],
  ['params.model = LogisticRegression', /needs a quoted string value, found LogisticRegression/, 15],
  ['tag.`test` = abc', /needs a quoted string value/, 13], // [runs] "Unsupported"
  ['tag.`test` = `abc`', /backticks quote keys, not values/, 13], // [runs] "Unsupported"
  ["tag.'test' = 'abc'", /single quotes are for values/, 4], // [runs] "Unsupported"
  ['params.lr = 0.1', /param 'params.lr' needs a quoted string value, found 0.1/, 12],
  ['params.lr > 0.1', /comparator > is not supported for param 'params.lr'/, 10],
  ["metrics.acc > '0.9'", /metric 'metrics.acc' needs a numeric value, found '0.9'/, 14],
  ['metrics.accuracy != "None"', /needs a numeric value/, 20], // [runs] "Non-None ... not supported"
  ["metrics.acc LIKE '1%'", /comparator LIKE is not supported for metric/, 12],
  ["metrics.acc IN ('1')", /comparator IN is not supported for metric/, 12],
  ["attributes.status IN ('FAILED')", /comparator IN is not supported for attribute 'attributes.status'/, 18],
  ["run_name NOT IN ('a')", /comparator NOT IN is not supported for attribute 'run_name'/, 9],
  ["params.p IN ('a')", /comparator IN is not supported for param/, 9],
  ['attributes.start_time > "123"', /needs a numeric value/, 24],
  ["attributes.start_time LIKE '1%'", /comparator LIKE is not supported/, 22],
  ["attributes.foo = 'x'", /unknown attribute 'foo' for filtering runs \(valid: run_id, run_name/, 0],
  ["foo = 'x'", /unknown attribute 'foo'/, 0],
  ["experiment_id = '0'", /attribute 'experiment_id' can order runs but not filter them/, 0],
  ["run_uuid = 'x'", /unknown attribute 'run_uuid'/, 0],
  ["datasets.source = 'x'", /unknown dataset field 'source'/, 0],
  ["bogus.key = 'x'", /unknown entity type 'bogus'/, 0],
  ['metrics."" > 1', /empty key/, 0],
  ['metrics.`` > 1', /empty key/, 0],
  ['metrics. > 1', /empty key in 'metrics.'/, 0],
  ['metrics.a > 1 AND', /trailing 'AND'/, 14],
  ['metrics.a > 1 AND  ', /trailing 'AND'/, 14],
  ['AND metrics.a > 1', /expected an identifier but found keyword 'AND'/, 0],
  ['metrics.a > 1 AND AND metrics.b > 1', /found keyword 'AND'/, 18],
  ["params.a = 'abc", /unterminated string/, 11],
  ['params.a = "abc', /unterminated string/, 11],
  ["params.`a = 'abc'", /unterminated backtick-quoted key/, 7],
  ["params.a = 'it\\'", /unterminated string/, 11],
  ['metrics.a >', /expected a value after 'metrics.a >' but reached the end/, 11],
  ['metrics.a', /expected a comparator after 'metrics.a' but reached the end/, 9],
  ['metrics.a 1', /expected a comparator/, 10],
  ['metrics.a == 1', /unsupported comparator '=='/, 10],
  ["params.a <> 'b'", /unsupported comparator '<>'/, 9],
  ["params.a NOT LIKE 'b'", /NOT is only supported as 'NOT IN'/, 9],
  ['metrics.a IS NULL', /expected a comparator .* found 'IS'/, 10],
  [
    'metrics.a > 1 metrics.b > 2',
    /expected AND or the end of the filter after a comparison, found 'metrics.b'/,
    14,
  ],
  ['metrics.a > 1; DROP TABLE runs', /unexpected character ';'/, 13],
  ["run_id IN 'a'", /IN needs a parenthesised list/, 10],
  ['run_id IN ()', /empty IN list/, 11],
  ["run_id IN ('a',)", /must hold quoted strings, found '\)'/, 15],
  ["run_id IN ('a' 'b')", /expected ',' or '\)' in IN list/, 15],
  ["run_id IN ('a'", /missing closing parenthesis/, 14],
  ['run_id IN (1, 2)', /must hold quoted strings, found '1'/, 11],
  ['metrics.cross-entropy-loss < 0.5', /quote such keys: metrics.`cross-entropy-loss`/, 13], // [runs] "Bad"
  ['metrics.a > 1e400', /out of range/, 12],
  ['metrics.a > 1.2.3', /malformed number/, 12],
  ['metrics.foo."bar" > 1', /a quoted key must directly follow the prefix/, 12],
  ["'x' = 'x'", /expected an identifier but found the value 'x'/, 0],
  ['> 1', /expected an identifier but found '>'/, 0],
  ['metrics.a > 1 AND OR', /found keyword 'OR'/, 18],
];

describe('parseRunFilter', () => {
  for (const [source, filter, expected] of VALID_RUN_FILTERS) {
    it(`[${source}] parses ${JSON.stringify(filter)}`, () => {
      assert.deepEqual(parseRunFilter(filter), expected);
    });
  }

  it('treats an absent filter as no clauses', () => {
    assert.deepEqual(parseRunFilter(undefined), []);
  });

  for (const [filter, message, position] of INVALID_RUN_FILTERS) {
    it(`rejects ${JSON.stringify(filter)}`, () => {
      assert.throws(
        () => parseRunFilter(filter),
        (error: unknown) => {
          assert.ok(isOspreyError(error), 'an OspreyError');
          assert.equal(error.code, 'INVALID_ARGUMENT');
          assert.match(error.message, /^Invalid filter: /);
          assert.match(error.message, message);
          assert.equal(error.details?.position, position, error.message);
          assert.ok(error.message.endsWith(`at position ${position}`));
          return true;
        },
      );
    });
  }

  it('shares grammar tables that callers cannot alter', () => {
    const runId = RUN_SEARCH_GRAMMAR.entities.attribute?.keys?.run_id;
    assert.ok(runId && Object.isFrozen(runId) && Object.isFrozen(runId.comparators));
    assert.throws(() => (runId.comparators as string[]).push('>'), TypeError);
  });

  it('rejects a non-string filter with INVALID_ARGUMENT', () => {
    assert.throws(() => parseRunFilter(42 as unknown as string), { code: 'INVALID_ARGUMENT' });
  });
});

describe('parseExperimentFilter', () => {
  // Every example of [exps].
  const valid: [string, FilterClause[]][] = [
    ["attributes.name = 'x'", [clause('attribute', 'name', '=', 'x')]],
    ["name = 'x'", [clause('attribute', 'name', '=', 'x')]],
    ["attributes.name LIKE 'x%'", [clause('attribute', 'name', 'LIKE', 'x%')]],
    ["tags.group != 'x'", [clause('tag', 'group', '!=', 'x')]],
    ["tags.group ILIKE '%x%'", [clause('tag', 'group', 'ILIKE', '%x%')]],
    [
      "attributes.name LIKE 'x%' AND tags.group = 'y'",
      [clause('attribute', 'name', 'LIKE', 'x%'), clause('tag', 'group', '=', 'y')],
    ],
    ['creation_time > 1700000000000', [clause('attribute', 'creation_time', '>', 1700000000000)]],
    ['attributes.last_update_time <= 5', [clause('attribute', 'last_update_time', '<=', 5)]],
  ];
  for (const [filter, expected] of valid) {
    it(`parses ${JSON.stringify(filter)}`, () => assert.deepEqual(parseExperimentFilter(filter), expected));
  }
  const invalid: [string, RegExp][] = [
    ['metrics.a > 1', /unknown entity type 'metrics'/],
    ["params.a = 'x'", /unknown entity type 'params'/],
    ["run_name = 'x'", /unknown attribute 'run_name' for filtering experiments \(valid: name, creation_time/],
    ["name IN ('a')", /comparator IN is not supported/],
    ["creation_time > '5'", /needs a numeric value/],
    ['name > 5', /comparator > is not supported/],
    ["experiment_id = '1'", /can order experiments but not filter them/],
  ];
  for (const [filter, message] of invalid) {
    it(`rejects ${JSON.stringify(filter)}`, () =>
      assert.throws(() => parseExperimentFilter(filter), { code: 'INVALID_ARGUMENT', message }));
  }
});

describe('parseRegistryFilter', () => {
  it('parses registered-model filters (reference/tracking.md §2 examples)', () => {
    assert.deepEqual(parseRegistryFilter("name LIKE '%x%'", 'registered_model'), [
      clause('attribute', 'name', 'LIKE', '%x%'),
    ]);
    assert.deepEqual(parseRegistryFilter("tags.k = 'v' and name IN ('a', 'b')", 'registered_model'), [
      clause('tag', 'k', '=', 'v'),
      clause('attribute', 'name', 'IN', ['a', 'b']),
    ]);
  });

  it('parses model-version filters', () => {
    assert.deepEqual(
      parseRegistryFilter(
        "name='m' and run_id = 'r1' and tags.k='v' and source_path LIKE 's3://%' and version_number >= 2",
        'model_version',
      ),
      [
        clause('attribute', 'name', '=', 'm'),
        clause('attribute', 'run_id', '=', 'r1'),
        clause('tag', 'k', '=', 'v'),
        clause('attribute', 'source', 'LIKE', 's3://%'),
        clause('attribute', 'version_number', '>=', 2),
      ],
    );
    assert.deepEqual(parseRegistryFilter("run_id IN ('a','b')", 'model_version'), [
      clause('attribute', 'run_id', 'IN', ['a', 'b']),
    ]);
  });

  it('keeps the two registry key tables apart', () => {
    assert.throws(() => parseRegistryFilter("run_id = 'r'", 'registered_model'), {
      code: 'INVALID_ARGUMENT',
      message: /unknown attribute 'run_id' for filtering registered models \(valid: name\)/,
    });
    assert.throws(() => parseRegistryFilter("version_number = '1'", 'model_version'), {
      code: 'INVALID_ARGUMENT',
      message: /needs a numeric value/,
    });
    assert.throws(() => parseRegistryFilter("metrics.a = 'x'", 'model_version'), {
      code: 'INVALID_ARGUMENT',
      message: /unknown entity type 'metrics'/,
    });
    assert.throws(() => parseRegistryFilter('', 'runs' as 'model_version'), { code: 'INVALID_ARGUMENT' });
  });
});
