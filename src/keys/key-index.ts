import type { Algorithm } from './algorithms';

/** A key the index can hold: its id, if any, and the one algorithm it verifies. */
interface IndexedKey {
  kid: string | undefined;
  algorithm: Algorithm;
}

/**
 * Keys by `kid`, as a token's header picks them: configured keys (`KeyRing`) and fetched
 * ones (`FetchedKeys`) alike. A `kid` is only ever an opaque Map key: never a path, a
 * query or a URL.
 */
export class KeyIndex<K extends IndexedKey> {
  private readonly byKid = new Map<string, K[]>();
  private readonly unnamed: K[] = [];
  /**
   * A set of one key without `kid`: it verifies whatever `kid` a token names, as identity
   * providers always send one (and as jsonwebtoken and express-jwt do): there is nothing
   * else it could pick.
   */
  private readonly only: K[] | undefined;

  /** `groups`: one entry per key, with the variants of it (one per algorithm a fetched key may serve). */
  constructor(groups: ReadonlyArray<{ kid: string | undefined; variants: readonly K[] }>) {
    for (const { kid, variants } of groups) {
      if (kid === undefined) this.unnamed.push(...variants);
      else this.byKid.set(kid, [...(this.byKid.get(kid) ?? []), ...variants]);
    }
    this.only = groups.length === 1 && groups[0]?.kid === undefined ? this.unnamed : undefined;
  }

  /** The keys a token's `kid` header names: a token without one uses the keys without one. */
  named(kid: unknown): readonly K[] {
    if (this.only) return this.only;
    if (kid === undefined) return this.unnamed;
    return (typeof kid === 'string' && this.byKid.get(kid)) || [];
  }

  /** The key for a token's `alg` and `kid`; `'wrong_algorithm'` when `kid` names keys of other algorithms only. */
  find(alg: unknown, kid: unknown): K | 'wrong_algorithm' | undefined {
    const named = this.named(kid);
    if (named.length === 0) return undefined;
    return named.find((key) => key.algorithm === alg) ?? 'wrong_algorithm';
  }
}
