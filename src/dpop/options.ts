import { fail } from '../shared/checks';
import { isPlainObject } from '../shared/json';
import type { DpopAlgorithm } from './algorithms';
import type { NonceSource } from './nonce';
import type { ReplayCache } from './replay';
import { type ProofSettings, proofSettings } from './settings';

/** The `dpop` option in full; `'allowed'` and `'required'` are short for `{}` and `{ required: true }`. */
export interface DpopOptions {
  /**
   * Every token must be DPoP-bound and come as `Authorization: DPoP <token>` with a proof: a
   * bearer token is refused (401 `dpop_required`). Default `false`: bearer tokens work beside
   * DPoP ones, and `@LoggedIn({ dpop: 'required' })` asks for DPoP on chosen routes.
   */
  required?: boolean;
  /** The proof algorithms taken (also listed in the challenge's `algs`). Default ES256, EdDSA, Ed25519, PS256, RS256. */
  algorithms?: DpopAlgorithm[];
  /** Seconds a proof's `iat` may be from now, either way (the `clockTolerance` is added). Default 60. */
  maxAge?: number;
  /** Longer `DPoP` headers are refused before any decoding. Default 4096 bytes. */
  maxLength?: number;
  /**
   * Server nonces (RFC 9449 §8), e.g. `new HmacNonces({ secret })`: a proof must then carry a
   * recent one, handed out in the `DPoP-Nonce` header (with 401 `use_dpop_nonce`, and whenever it changes).
   */
  nonces?: NonceSource;
}

/** The `dpop` option resolved: whether every token must be bound, and how proofs are checked. */
export interface DpopSetup {
  required: boolean;
  proof: ProofSettings;
}

/** What the `dpop` option is checked against: the rest of the manager's configuration. */
export interface DpopContext {
  /** The manager's `clockTolerance`, the proofs' leeway too. */
  leeway: number;
  /** Where proofs' `jti`s are remembered: the revocation store, when it can (`firstUse`). */
  replay: Partial<ReplayCache>;
  useHeader: boolean;
  useCookie: boolean;
}

const FIELDS = ['required', 'algorithms', 'maxAge', 'maxLength', 'nonces'];

/** Checks the `dpop` option: `undefined` when DPoP is off (the default). */
export function dpopSetup(value: unknown, context: DpopContext): DpopSetup | undefined {
  if (value === undefined) return undefined;
  const options = value === 'allowed' ? {} : value === 'required' ? { required: true } : value;
  if (!isPlainObject(options))
    return fail("`dpop` is 'allowed', 'required' or an object like { required: true, maxAge: 60 }.");
  const unknown = Object.keys(options).filter((name) => !FIELDS.includes(name));
  if (unknown.length) {
    fail(
      `\`dpop\`: unknown field(s) ${unknown.join(', ')}; the fields are ${FIELDS.join(', ')} (the leeway is clockTolerance).`,
    );
  }
  const { required = false, ...proof } = options;
  if (typeof required !== 'boolean') fail('`dpop.required` is true or false.');
  if (!context.useHeader) fail('`dpop` needs `useHeader`: DPoP tokens come as `Authorization: DPoP <token>`.');
  if (required && context.useCookie) {
    fail(
      "`dpop: 'required'` with `useCookie`: a cookie carries no DPoP proof, so every cookie login would be refused. " +
        "Use dpop: 'allowed' and @LoggedIn({ dpop: 'required' }) on the routes that must have DPoP.",
    );
  }
  if (typeof context.replay.firstUse !== 'function') {
    fail(
      '`revocationStore` has no firstUse method, which DPoP needs to refuse a replayed proof: implement it ' +
        '(see RevocationStore), or use MemoryRevocationStore or RedisRevocationStore.',
    );
  }
  return {
    required: required as boolean,
    proof: proofSettings({ ...proof, leeway: context.leeway, replay: context.replay }),
  };
}
