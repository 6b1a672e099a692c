import { readFileSync } from 'node:fs';

/** Test helper: the JSON written by fixtures/make-sklearn-fixtures.py (scikit-learn 1.2.1, numpy 1.24.2). */
export interface SklearnFixtures {
  linear: {
    X: number[][];
    y: number[];
    coef: number[];
    intercept: number;
    X_deficient: number[][];
    coef_deficient: number[];
    intercept_deficient: number;
  };
  logistic: Record<
    'binary' | 'multinomial',
    {
      X: number[][];
      y: number[];
      C: number;
      coef: number[][];
      intercept: number[];
      X_test: number[][];
      proba: number[][];
    }
  >;
  trees: {
    X: number[][];
    y: number[];
    y_reg: number[];
    X_test: number[][];
    classifiers: {
      params: { max_depth: number | null; min_samples_leaf?: number; criterion?: 'gini' | 'entropy' };
      tree: { feature: number[]; threshold: number[] };
      predict: number[];
      proba: number[][];
      proba_train: number[][];
    }[];
    regressors: {
      params: { max_depth: number; min_samples_leaf?: number };
      tree: { feature: number[]; threshold: number[] };
      predict: number[];
      predict_train: number[];
    }[];
  };
  boosting: {
    n_estimators: number;
    learning_rate: number;
    max_depth: number;
    regressor_predict: number[];
    regressor_predict_train: number[];
    y_binary: number[];
    classifier_proba: number[][];
    classifier_proba_train: number[][];
  };
}

/** Test helper: loads the committed sklearn/numpy reference values. */
export function loadSklearnFixtures(): SklearnFixtures {
  return JSON.parse(
    readFileSync(new URL('./fixtures/sklearn-fixtures.json', import.meta.url), 'utf8'),
  ) as SklearnFixtures;
}
