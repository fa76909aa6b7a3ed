import type { KeyObject } from 'node:crypto';
import type { Rejection } from '../shared/checked';
import type { Algorithm } from './algorithms';

/** A JWK Set (RFC 7517 §5), as `manager.jwks()` returns and `/.well-known/jwks.json` serves. */
export interface JsonWebKeySet {
  /**
   * The public keys, with `alg`, `use: 'sig'` and, when the key has one, `kid`. Typed here rather than as
   * `node:crypto`'s `JsonWebKey`, which `@types/node` 25 and later no longer export.
   */
  keys: Array<{
    /** The key type: `RSA`, `EC`, `OKP` (Ed25519)... */
    kty?: string;
    /** The key id a token's `kid` names. */
    kid?: string;
    /** The one algorithm the key is for. */
    alg?: string;
    /** `sig` for a signature key. */
    use?: string;
    /** The key material (`n`, `e`, `crv`, `x`, `y`...) and any other member. */
    [member: string]: unknown;
  }>;
}

/** A parsed key: always able to verify, able to sign when it holds private material. */
export interface RingKey {
  kid: string | undefined;
  algorithm: Algorithm;
  verifyKey: KeyObject;
  signKey: KeyObject | undefined;
}

/**
 * Where one issuer's keys come from: configured keys, or a JWK Set fetched from a URL.
 * `keyFor` answers synchronously from what is known; a key that is not known yet is a
 * rejection carrying `pending` when a fetch that may find it is under way.
 */
export interface KeySource {
  /** Grows whenever the usable keys change, so anything cached from them (verified tokens) can be dropped. */
  readonly version: number;
  /**
   * The key for a token's `alg` and `kid` headers, or why there is none. A source that fetches
   * keys starts a fetch for a key it does not know unless `fetch` is `false`.
   */
  keyFor(alg: unknown, kid: unknown, fetch?: boolean): RingKey | Rejection;
  /** Whether `keyFor` may fetch: a refusal of a source that never does is final. */
  readonly fetches?: boolean;
}

/** One issuer a manager trusts: the `iss` it names (or any, when undefined), its audience and its keys. */
export interface TrustedIssuer {
  issuer: string | undefined;
  audience: string[] | undefined;
  keys: KeySource;
  /** `'at+jwt'`: its access tokens must carry that `typ` (RFC 9068 §4), so its ID tokens are refused. */
  accessTokenType?: 'at+jwt' | undefined;
}
