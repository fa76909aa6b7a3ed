import jwt from 'jsonwebtoken';
import { type Checked, checkClaims, isPlainObject, rejected, type TokenPayload } from './claims';
import type { SigningKey } from './keys';

/** A JWS compact serialisation: three base64url parts, the last (the signature) may be empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface VerifyPolicy {
  key: SigningKey;
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  leeway: number;
}

/**
 * Checks a token completely: shape, header, signature (jsonwebtoken, pinned to the
 * configured algorithm and a pre-parsed key), then claims. Never throws.
 */
export function verifyToken(token: string, policy: VerifyPolicy, now: number): Checked<TokenPayload> {
  if (!COMPACT_JWS.test(token)) return rejected('token_malformed');
  const [header, claims] = token.split('.', 2).map(decodeSegment);
  // Shape first: jsonwebtoken reports a non-object payload as a bad signature, or throws on null.
  if (!isPlainObject(header) || !isPlainObject(claims)) return rejected('token_malformed');
  if (header.alg !== policy.key.algorithm) return rejected('algorithm_not_allowed');
  let payload: unknown;
  try {
    payload = jwt.verify(token, policy.key.verifyKey, {
      algorithms: [policy.key.algorithm],
      // exp and nbf are checked below, where a missing or non-numeric one is refused too.
      ignoreExpiration: true,
      ignoreNotBefore: true,
    });
  } catch {
    return rejected('signature_invalid');
  }
  return checkClaims(payload, now, policy.leeway);
}

/** The decoded JSON of one base64url segment, or `undefined` when it is not JSON. */
export function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
