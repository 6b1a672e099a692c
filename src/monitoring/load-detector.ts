/** Restores any synchronous detector from its saved JSON state, dispatching on `kind`. */
import { invalidArgument } from '../errors/index.js';
import {
  ClassifierDriftDetector,
  type ClassifierDriftState,
  MmdDriftDetector,
  type MmdDriftState,
  TabularDriftDetector,
  type TabularDriftState,
} from './drift/index.js';
import {
  IsolationForestDetector,
  type IsolationForestState,
  MahalanobisDetector,
  type MahalanobisState,
  RobustZScoreDetector,
  type RobustZScoreState,
} from './outlier/index.js';

/** State of any detector `loadDetector` can restore. */
export type SavedDetectorState =
  | TabularDriftState
  | MmdDriftState
  | ClassifierDriftState
  | IsolationForestState
  | MahalanobisState
  | RobustZScoreState;

export type AnyDetector =
  | TabularDriftDetector
  | MmdDriftDetector
  | ClassifierDriftDetector
  | IsolationForestDetector
  | MahalanobisDetector
  | RobustZScoreDetector;

/**
 * Restores a detector saved with `toJSON()`. The adversarial detector needs its model, so it is
 * restored with `PredictionStabilityDetector.fromJSON(state, predict)` instead.
 */
export function loadDetector(state: SavedDetectorState): AnyDetector {
  switch (state?.kind) {
    case 'tabular-drift':
      return TabularDriftDetector.fromJSON(state);
    case 'mmd-drift':
      return MmdDriftDetector.fromJSON(state);
    case 'classifier-drift':
      return ClassifierDriftDetector.fromJSON(state);
    case 'isolation-forest':
      return IsolationForestDetector.fromJSON(state);
    case 'mahalanobis':
      return MahalanobisDetector.fromJSON(state);
    case 'robust-z-score':
      return RobustZScoreDetector.fromJSON(state);
    default:
      throw invalidArgument(`unknown detector kind "${(state as { kind?: unknown } | undefined)?.kind}"`);
  }
}
