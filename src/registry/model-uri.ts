import { invalidArgument } from '../errors/index.js';
import { canonicalStage } from './registry-rules.js';
import type { Stage } from './types.js';

/** What a `models:/` URI names: a version, an alias, a legacy stage, or the latest version. */
export type ModelReference =
  | { name: string; version: string }
  | { name: string; alias: string }
  | { name: string; stage: Stage }
  | { name: string; latest: true };

/**
 * Parses `models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/<name>/<stage>` and
 * `models:/<name>/latest` (MLflow's model URI forms).
 */
export function parseModelUri(uri: string): ModelReference {
  const match = /^models:\/([^/@]+)(?:@([\w-]+)|\/([^/]+))\/?$/.exec(uri);
  if (!match)
    throw invalidArgument(
      `invalid model URI '${uri}': use models:/<name>/<version>, models:/<name>@<alias> or models:/<name>/<stage>`,
    );
  const name = decodeURIComponent(match[1]!);
  if (match[2]) return { name, alias: match[2] };
  const suffix = match[3]!;
  if (/^\d+$/.test(suffix)) return { name, version: suffix };
  if (suffix.toLowerCase() === 'latest') return { name, latest: true };
  return { name, stage: canonicalStage(suffix) };
}
