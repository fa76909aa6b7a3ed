/**
 * Admission on the second sighting, for the verified-token cache: a fixed table of small
 * fingerprints (4 bytes a slot, one slot per cache entry rounded up to a power of two) that
 * answers whether a key was probably seen before. A token seen once, as every token of a
 * flood of distinct ones is, costs one array write and never pushes a hot token out of the
 * cache; a token seen again is admitted. A collision only admits a token one sighting early.
 */
export class Doorkeeper {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `size`: about how many distinct keys to tell apart (the cache's size). */
  constructor(size: number) {
    let length = 1024;
    while (length < size) length *= 2;
    this.slots = new Int32Array(length);
    this.mask = length - 1;
  }

  /** Whether `key` was seen since its slot was last taken; records this sighting either way. */
  seen(key: string): boolean {
    const print = fingerprint(key);
    const slot = ((print >>> 16) ^ print) & this.mask;
    if (this.slots[slot] === print) return true;
    this.slots[slot] = print;
    return false;
  }
}

/**
 * A non-zero 32-bit FNV-1a hash of up to the first 16 characters of `key`. The cache's keys are
 * signatures, whose characters are already uniformly random: 16 of them are plenty, and a
 * forged signature never reaches the doorkeeper (only verified tokens do).
 */
function fingerprint(key: string): number {
  let hash = 0x811c9dc5;
  const end = Math.min(key.length, 16);
  for (let i = 0; i < end; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 1;
}
