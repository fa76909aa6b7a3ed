import { KeyRing } from '../keys/key-ring';
import type { RingKey, TrustedIssuer } from '../keys/source';
import { type Rejection, rejected } from '../shared/checked';
import { isPlainObject, parseUnsigned } from '../shared/json';
import type { ClaimPolicy } from './claims';
import { headerOf, segment } from './sign';

/**
 * The key verification uses; the claim policy of the issuer it belongs to when that is not the
 * manager's; and the claims, when the payload had to be read to pick the key (several issuers).
 */
export type KeyChoice = { ok: true; key: RingKey; policy?: ClaimPolicy; claims?: Record<string, unknown> } | Rejection;

/** A header this manager writes, with its parsed form and its key: such a token skips decoding its header. */
export interface IssuedHeader {
  header: Readonly<Record<string, string>>;
  choice: Readonly<{ ok: true; key: RingKey }>;
}

/**
 * What verification asks for a key: the token's decoded header in, a key or a refusal out.
 * `payload` is the payload segment as sent: a selector reads it before the signature is
 * checked (bounded, `parseUnsigned`) only when the header cannot pick the key alone.
 */
export interface KeySelector {
  /** Grows whenever any usable key changes. */
  readonly version: number;
  select(header: Record<string, unknown>, payload: string): KeyChoice;
  /** The header segments this manager's own keys write, exactly (`sign.ts`). */
  readonly issued?: ReadonlyMap<string, IssuedHeader>;
}

/** A key source's answer as a choice; an answer is a rejection exactly when it has `ok`. */
export const choiceOf = (found: RingKey | Rejection): KeyChoice => ('ok' in found ? found : { ok: true, key: found });

/** How tokens are verified: the claim policy, the keys, the length limit. */
export interface VerifyPolicy extends ClaimPolicy {
  /** Picks the key (and, with several issuers, the claim policy) for a token. */
  keys: KeySelector;
  /** Longer tokens are refused before any decoding or crypto. */
  maxTokenLength: number;
}

/** What every issuer's tokens must satisfy alike: the claim policy without what each issuer has of its own. */
export type CommonClaimPolicy = Omit<ClaimPolicy, 'issuer' | 'audience' | 'accessTokenType'>;

/**
 * The verification policy for the issuers a manager trusts. One issuer: its `iss` and
 * audience are the policy's. Several: the token's `iss` picks one (an exact Map lookup)
 * before any key is looked up or fetched, and that issuer's audience and `accessTokenType` apply.
 */
export function verifyPolicyFor(
  trusted: readonly TrustedIssuer[],
  common: CommonClaimPolicy,
  maxTokenLength: number,
): VerifyPolicy {
  const [only] = trusted;
  if (only && trusted.length === 1) {
    const { issuer, audience, accessTokenType } = only;
    return { ...common, issuer, audience, accessTokenType, maxTokenLength, keys: new OneIssuer(only) };
  }
  return { ...common, maxTokenLength, keys: new SeveralIssuers(trusted, common) };
}

/**
 * The keys of the one issuer a manager trusts: the header alone picks the key, so the payload
 * waits for the signature (and `iss` is checked with the other claims). Only a key that would
 * have to be fetched first reads the payload: a token of another issuer never causes a fetch.
 */
class OneIssuer implements KeySelector {
  readonly issued: ReadonlyMap<string, IssuedHeader> | undefined;

  constructor(private readonly trusted: TrustedIssuer) {
    this.issued = trusted.keys instanceof KeyRing ? issuedHeaders(trusted.keys) : undefined;
  }

  get version(): number {
    return this.trusted.keys.version;
  }

  select(header: Record<string, unknown>, payload: string): KeyChoice {
    const { issuer, keys } = this.trusted;
    const known = keys.keyFor(header.alg, header.kid, false);
    if (!('ok' in known) || !keys.fetches) return choiceOf(known);
    const claims = unsignedClaims(payload);
    if (!claims) return rejected('token_malformed');
    if (issuer !== undefined && claims.iss !== issuer) return rejected('issuer_invalid');
    return choiceOf(keys.keyFor(header.alg, header.kid));
  }
}

/** Every header a ring's keys write (`typ` `JWT`, or `at+jwt` for access tokens), mapped to its key. */
function issuedHeaders(ring: KeyRing): Map<string, IssuedHeader> {
  const headers = new Map<string, IssuedHeader>();
  for (const key of ring.keys) {
    for (const typ of ['JWT', 'at+jwt']) {
      const header = Object.freeze(headerOf(key.algorithm, typ, key.kid));
      headers.set(segment(header), { header, choice: Object.freeze({ ok: true as const, key }) });
    }
  }
  return headers;
}

/** The payload as read before its signature is checked: bounded, `undefined` unless a JSON object. */
function unsignedClaims(payload: string): Record<string, unknown> | undefined {
  const claims = parseUnsigned(Buffer.from(payload, 'base64url').toString('utf8'));
  return isPlainObject(claims) ? claims : undefined;
}

/** Several issuers: `iss` picks one, so an unknown or missing `iss` is refused without a fetch. */
class SeveralIssuers implements KeySelector {
  private readonly byIssuer = new Map<string, { trusted: TrustedIssuer; policy: ClaimPolicy }>();

  constructor(
    private readonly trusted: readonly TrustedIssuer[],
    common: CommonClaimPolicy,
  ) {
    for (const entry of trusted) {
      const { issuer, audience, accessTokenType } = entry;
      const policy = { ...common, issuer, audience, accessTokenType };
      if (issuer !== undefined) this.byIssuer.set(issuer, { trusted: entry, policy });
    }
  }

  get version(): number {
    return this.trusted.reduce((sum, { keys }) => sum + keys.version, 0);
  }

  select(header: Record<string, unknown>, payload: string): KeyChoice {
    const claims = unsignedClaims(payload);
    if (!claims) return rejected('token_malformed');
    const entry = typeof claims.iss === 'string' ? this.byIssuer.get(claims.iss) : undefined;
    if (!entry) return rejected('issuer_invalid');
    const found = entry.trusted.keys.keyFor(header.alg, header.kid);
    return 'ok' in found ? found : { ok: true, key: found, policy: entry.policy, claims };
  }
}
