import type { LoginManager } from 'routing-controllers-login';
import { type BenchKeys, managerFor, USER } from './keys';
import type { Variant } from './variants';

/**
 * RS256 signing costs about a millisecond, too slow to mint a fresh token per request:
 * its distinct-token variant cycles through this many, twice the verified-token cache's
 * default size, so a least-recently-used cache never holds the next one.
 */
export const RSA_POOL = Number(process.env.BENCH_RSA_POOL ?? 20_000);

/** The tokens the load generator sends for one variant. */
export class TokenSupply {
  private readonly manager: LoginManager<unknown>;
  private readonly pool: string[] = [];
  private used = 0;
  /** Tokens minted during a run because the pool ran dry (costs load-generator CPU). */
  mintedInline = 0;

  constructor(
    private readonly variant: Variant,
    keys: BenchKeys,
  ) {
    this.manager = managerFor(variant, keys) as LoginManager<unknown>;
    if (variant.tokens === 'repeated') this.pool.push(this.mint());
    else if (variant.algorithm === 'RS256') for (let i = 0; i < RSA_POOL; i += 1) this.pool.push(this.mint());
  }

  /** Mints ahead, so minting does not load the generator during a run; repeated and RS256 pools are fixed. */
  prepare(requests: number): void {
    if (this.variant.tokens === 'repeated' || this.variant.algorithm === 'RS256') return;
    while (this.pool.length - this.used < requests) this.pool.push(this.mint());
  }

  next(): string {
    if (this.variant.tokens === 'repeated') return this.pool[0] as string;
    if (this.variant.algorithm === 'RS256') return this.pool[this.used++ % this.pool.length] as string;
    if (this.used < this.pool.length) {
      const token = this.pool[this.used] as string;
      // Drop what was sent, so the pool does not keep every token of the run alive.
      this.pool[this.used++] = '';
      return token;
    }
    this.mintedInline += 1;
    this.used += 1;
    this.pool.push('');
    return this.mint();
  }

  /** The header carrying `token`, where this variant reads it. */
  headers(token: string): Record<string, string> {
    return this.variant.source === 'cookie'
      ? { cookie: `access-token=${token}` }
      : { authorization: `Bearer ${token}` };
  }

  private mint(): string {
    return this.manager.createAccessToken({ data: { sub: USER.email } });
  }
}
