/** Distances between two model outputs for the same input (probability vectors or logits). */

export type OutputKind = 'probabilities' | 'logits';
export type PredictionDistance = 'l1' | 'kl';

const EPS = 1e-12;

/** Softmax with the max subtracted for stability. */
export function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Clips to [1e-12, ∞) and renormalises, so KL stays finite. */
function asDistribution(p: readonly number[]): number[] {
  const c = p.map((v) => Math.max(v, EPS));
  const s = c.reduce((a, b) => a + b, 0);
  return c.map((v) => v / s);
}

/**
 * L1: Σ|p_i − q_i| (Xu et al. 2018's squeezing score). KL: KL(p ‖ q) = Σ p_i ln(p_i/q_i), the
 * divergence of the changed prediction q from the original p (as Alibi's adversarial score).
 */
export function predictionDistance(
  p: readonly number[],
  q: readonly number[],
  kind: PredictionDistance,
  outputs: OutputKind,
): number {
  const a = outputs === 'logits' ? softmax(p) : p;
  const b = outputs === 'logits' ? softmax(q) : q;
  if (kind === 'l1') {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
    return s;
  }
  const pa = asDistribution(a);
  const qb = asDistribution(b);
  let kl = 0;
  for (let i = 0; i < pa.length; i++)
    kl += (pa[i] as number) * Math.log((pa[i] as number) / (qb[i] as number));
  return Math.max(0, kl);
}
