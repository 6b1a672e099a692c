/**
 * MurmurHash3 (x86, 32-bit; Austin Appleby's public-domain algorithm) over the UTF-16 code
 * units of a string, two per 32-bit block. Only used to spread values uniformly for
 * HyperLogLog, so the byte encoding does not matter, only that equal strings hash alike.
 */
export function murmur3(text: string, seed: number): number {
  let h = seed | 0;
  const blocks = text.length >>> 1;
  for (let i = 0; i < blocks; i++) {
    let k = text.charCodeAt(2 * i) | (text.charCodeAt(2 * i + 1) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (text.length % 2 === 1) {
    let k = text.charCodeAt(text.length - 1);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= text.length * 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
