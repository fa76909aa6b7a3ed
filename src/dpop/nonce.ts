import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-provided nonces (RFC 9449 §8): the server hands out `DPoP-Nonce` values and refuses
 * proofs that do not carry a recent one (`use_dpop_nonce`), which bounds how long a proof made
 * in advance, on a client's wrong clock or by a thief holding the key briefly, stays usable.
 */
export interface NonceSource {
  /** The nonce to send now in `DPoP-Nonce`. `now` in milliseconds. */
  current(now: number): string;
  /** Whether `nonce` (a proof's `nonce` claim) is one this source issued and still accepts. */
  accepts(nonce: string, now: number): boolean;
}

/** How an {@link HmacNonces} is set up. */
export interface HmacNoncesOptions {
  /** At least 32 bytes, the same on every instance that must accept the others' nonces. */
  secret: string | Buffer;
  /** Seconds a nonce is current; it is accepted for one more such period after. Default 300. */
  lifetime?: number;
}

/**
 * Stateless rotating nonces: `<period>.<HMAC of the period>`, so every instance sharing the
 * secret issues and checks them with no store. A nonce is accepted in the period it was
 * issued and the next one (between `lifetime` and twice that).
 */
export class HmacNonces implements NonceSource {
  private readonly secret: Buffer;
  private readonly lifetimeMs: number;

  constructor({ secret, lifetime = 300 }: HmacNoncesOptions) {
    const bytes = Buffer.from(secret);
    if (bytes.length < 32) throw new RangeError('HmacNonces: `secret` needs at least 32 bytes.');
    if (!(Number.isInteger(lifetime) && lifetime >= 1 && lifetime <= 86_400)) {
      throw new RangeError('HmacNonces: `lifetime` is a whole number of seconds from 1 to 86400.');
    }
    this.secret = bytes;
    this.lifetimeMs = lifetime * 1000;
  }

  current(now: number): string {
    return this.nonceOf(Math.floor(now / this.lifetimeMs));
  }

  accepts(nonce: string, now: number): boolean {
    const period = Math.floor(now / this.lifetimeMs);
    const issued = Number(nonce.slice(0, nonce.indexOf('.')));
    if (!Number.isSafeInteger(issued) || (issued !== period && issued !== period - 1)) return false;
    const expected = Buffer.from(this.nonceOf(issued));
    const given = Buffer.from(nonce);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private nonceOf(period: number): string {
    const mac = createHmac('sha256', this.secret).update(`dpop-nonce.${period}`).digest('base64url');
    return `${period}.${mac}`;
  }
}
