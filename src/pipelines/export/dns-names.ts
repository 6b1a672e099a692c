import { createHash } from 'node:crypto';

const MAX = 63;
const SUFFIX = 7; // '-' + 6 hex

/**
 * Gives each name a DNS-1123 label (lowercase alphanumerics and '-', at most 63, alphanumeric at
 * both ends), as Argo requires of template and task names. A name that had to change gets a short
 * hash of the original, so `train@a` and `train-a` stay distinct; `reserved` names are never given.
 */
export function createDnsNamer(reserved: readonly string[] = []): (name: string) => string {
  const taken = new Set(reserved);
  return (name) => {
    const base = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
    let label = base;
    if (label !== name || label.length > MAX || taken.has(label)) {
      const hash = createHash('sha256')
        .update(name)
        .digest('hex')
        .slice(0, SUFFIX - 1);
      const head = base.slice(0, MAX - SUFFIX).replace(/-$/, '');
      label = head === '' ? `s-${hash}` : `${head}-${hash}`;
    }
    for (let i = 2; taken.has(label); i++) label = `${label.slice(0, MAX - 4)}-${i}`;
    taken.add(label);
    return label;
  };
}
