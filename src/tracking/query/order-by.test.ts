import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExperimentOrderBy, parseRegistryOrderBy, parseRunOrderBy } from './order-by.js';

// Ordering syntax per https://mlflow.org/docs/latest/ml/search/search-runs ("Ordering": a column
// with optional ASC/DESC, ASC by default; e.g. order_by=["metrics.accuracy DESC"]) and
// reference/tracking.md §2 (`["metrics.rmse", "params.input DESC"]`, same identifiers as the filter).

describe('parseRunOrderBy', () => {
  it('parses the documented examples', () => {
    assert.deepEqual(
      parseRunOrderBy(['metrics.rmse', 'params.input DESC', 'start_time asc', 'attributes.run_name']),
      [
        { entity: 'metric', key: 'rmse', ascending: true },
        { entity: 'param', key: 'input', ascending: false },
        { entity: 'attribute', key: 'start_time', ascending: true },
        { entity: 'attribute', key: 'run_name', ascending: true },
      ],
    );
    assert.deepEqual(parseRunOrderBy(['metrics.accuracy DESC']), [
      { entity: 'metric', key: 'accuracy', ascending: false },
    ]);
    assert.deepEqual(parseRunOrderBy(['params.lr DESC']), [{ entity: 'param', key: 'lr', ascending: false }]);
  });

  it('reads quoted, dotted and aliased identifiers like the filter does', () => {
    assert.deepEqual(
      parseRunOrderBy([
        'metrics.`f1 score` DeSc',
        'tags."mlflow.user"',
        'tags.mlflow.source.name ASC',
        'created DESC',
        '`Run Name`',
        'run.status',
        'experiment_id',
      ]),
      [
        { entity: 'metric', key: 'f1 score', ascending: false },
        { entity: 'tag', key: 'mlflow.user', ascending: true },
        { entity: 'tag', key: 'mlflow.source.name', ascending: true },
        { entity: 'attribute', key: 'start_time', ascending: false },
        { entity: 'attribute', key: 'run_name', ascending: true },
        { entity: 'attribute', key: 'status', ascending: true },
        { entity: 'attribute', key: 'experiment_id', ascending: true },
      ],
    );
  });

  it('treats a missing order_by as no ordering', () => {
    assert.deepEqual(parseRunOrderBy(undefined), []);
    assert.deepEqual(parseRunOrderBy([]), []);
  });

  const invalid: [term: string[], message: RegExp][] = [
    [['metrics.rmse DOWN'], /expected ASC or DESC after 'metrics.rmse', found 'DOWN' at position 13/],
    [['metrics.rmse DESC NULLS LAST'], /unexpected 'NULLS' after the sort direction/],
    [['metrics.rmse, params.a'], /give each order_by term as its own list entry at position 12/],
    [[''], /empty clause/],
    [['   '], /empty clause/],
    [['DESC'], /unknown attribute 'DESC'/],
    [['metrics.'], /empty key/],
    [['foo'], /unknown attribute 'foo' for ordering runs/],
    [['bogus.x'], /unknown entity type 'bogus'/],
    [['datasets.name'], /can filter runs but not order them/],
    [["metrics.'rmse'"], /single quotes are for values/],
    [['metrics.rmse', 'metrics.rmse DESC'], /'metrics.rmse' is ordered more than once/],
    [['start_time', 'created DESC'], /'created' is ordered more than once/],
    [['(metrics.rmse)'], /parentheses are not supported/],
  ];
  for (const [terms, message] of invalid) {
    it(`rejects ${JSON.stringify(terms)}`, () => {
      assert.throws(() => parseRunOrderBy(terms), { code: 'INVALID_ARGUMENT', message });
    });
  }

  it('rejects non-string entries and non-lists', () => {
    assert.throws(() => parseRunOrderBy([1 as unknown as string]), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => parseRunOrderBy('metrics.a' as unknown as string[]), { code: 'INVALID_ARGUMENT' });
  });
});

describe('parseExperimentOrderBy and parseRegistryOrderBy', () => {
  it('order experiments by their attributes only', () => {
    assert.deepEqual(parseExperimentOrderBy(['name', 'creation_time DESC', 'attributes.experiment_id']), [
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'creation_time', ascending: false },
      { entity: 'attribute', key: 'experiment_id', ascending: true },
    ]);
    assert.throws(() => parseExperimentOrderBy(['tags.team']), {
      code: 'INVALID_ARGUMENT',
      message: /tag 'tags.team' can filter experiments but not order them/,
    });
  });

  it('order registered models and model versions by their own keys', () => {
    assert.deepEqual(parseRegistryOrderBy(['name', 'last_updated_timestamp DESC'], 'registered_model'), [
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'last_updated_timestamp', ascending: false },
    ]);
    assert.deepEqual(parseRegistryOrderBy(['name', 'version DESC', 'creation_timestamp'], 'model_version'), [
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'version_number', ascending: false },
      { entity: 'attribute', key: 'creation_timestamp', ascending: true },
    ]);
    assert.throws(() => parseRegistryOrderBy(['version_number'], 'registered_model'), {
      code: 'INVALID_ARGUMENT',
      message: /unknown attribute 'version_number' for ordering registered models/,
    });
  });
});
