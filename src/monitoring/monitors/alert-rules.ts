/**
 * Alert rules: `metric comparison threshold` holding for `for` consecutive windows raises one alert;
 * the rule re-arms once the condition stops holding. A metric with no value in a window (its
 * detector could not run, e.g. an empty window) breaks the streak.
 */
import type { AlertRuleSpec } from './monitor-spec.js';
import type { MonitorAlert } from './monitor-store.js';

/** Streak of one rule, kept in the monitor checkpoint. */
export interface RuleStreak {
  streak: number;
  firing: boolean;
  /** The values of the current streak (most recent last, at most `for`), kept as evidence. */
  values: (number | null)[];
}

export type Comparison = AlertRuleSpec['comparison'];

const COMPARE: Readonly<Record<Comparison, (a: number, b: number) => boolean>> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** The key a rule's streak is kept under. */
export function ruleName(rule: AlertRuleSpec): string {
  return rule.name ?? `${rule.metric} ${rule.comparison} ${rule.threshold}`;
}

/** One window through every rule: the updated streaks and the alerts raised. */
export function applyRules(
  monitor: string,
  rules: readonly AlertRuleSpec[],
  metrics: ReadonlyMap<string, number | null>,
  streaks: Readonly<Record<string, RuleStreak>>,
  window: { start: number; end: number },
  now: number,
  evidence: (metric: string) => unknown,
): { streaks: Record<string, RuleStreak>; alerts: MonitorAlert[] } {
  const next: Record<string, RuleStreak> = {};
  const alerts: MonitorAlert[] = [];
  for (const rule of rules) {
    const name = ruleName(rule);
    const previous = streaks[name] ?? { streak: 0, firing: false, values: [] };
    const value = metrics.get(rule.metric) ?? null;
    const holds = value !== null && COMPARE[rule.comparison](value, rule.threshold);
    if (!holds) {
      next[name] = { streak: 0, firing: false, values: [] };
      continue;
    }
    const state = {
      streak: previous.streak + 1,
      firing: previous.firing,
      values: [...previous.values, value].slice(-rule.for),
    };
    if (state.streak >= rule.for && !state.firing) {
      state.firing = true;
      alerts.push({
        monitor,
        rule: name,
        metric: rule.metric,
        value,
        windowStart: window.start,
        windowEnd: window.end,
        time: now,
        evidence: {
          condition: `${rule.metric} ${rule.comparison} ${rule.threshold}`,
          consecutiveWindows: state.streak,
          values: state.values,
          detail: evidence(rule.metric) ?? null,
        },
      });
    }
    next[name] = state;
  }
  return { streaks: next, alerts };
}
