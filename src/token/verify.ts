import { signatureValid } from '../keys/signature';
import { type Checked, type Rejection, rejected } from '../shared/checked';
import { isPlainObject, parseJson, parseUnsigned } from '../shared/json';
import { checkClaims, type TokenPayload } from './claims';
import type { KeyChoice, VerifyPolicy } from './trust';

/** A JWS compact serialisation: three base64url parts, the last (the signature) may be empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** `typ` values meaning "a JWT" (RFC 7519 §5.1, RFC 9068 §2.1), compared case-insensitively. */
const JWT_TYPES = new Set(['jwt', 'application/jwt', 'at+jwt', 'application/at+jwt']);
/** `typ` values of a JWT access token (RFC 9068 §4: with or without `application/`). */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);

/**
 * Checks a token completely, cheapest checks first: length, shape, header, the key it picks,
 * the signature (`node:crypto` on the segments as sent, pinned to that key's one algorithm),
 * the `typ` the issuer's `accessTokenType` asks for, then claims. A header this manager writes
 * (`KeySelector.issued`) is not decoded at all. With one issuer the header alone picks the key,
 * so the payload is parsed only once its signature holds; with several, `iss` picks the issuer
 * and the payload is read first, bounded (`parseUnsigned`), as a header always is. Each segment
 * is decoded at most once. Never throws. `now` is in (fractional) seconds.
 */
export function verifyToken(token: string, policy: VerifyPolicy, now: number): Checked<TokenPayload> {
  if (token.length > policy.maxTokenLength) return rejected('token_too_long');
  if (!COMPACT_JWS.test(token)) return rejected('token_malformed');
  const headerEnd = token.indexOf('.');
  const payloadEnd = token.indexOf('.', headerEnd + 1);
  const headerSegment = token.slice(0, headerEnd);
  const payload = token.slice(headerEnd + 1, payloadEnd);
  const issued = policy.keys.issued?.get(headerSegment);
  const header = issued ? issued.header : parseUnsigned(decoded(headerSegment));
  if (!isPlainObject(header)) return rejected('token_malformed');
  // jku, x5u, jwk and x5c are never read: the only keys are the configured ones.
  const choice: KeyChoice = issued ? issued.choice : (checkHeader(header) ?? policy.keys.select(header, payload));
  if (!choice.ok) return choice;
  const { key } = choice;
  if (!signatureValid(key.algorithm, key.verifyKey, token.slice(0, payloadEnd), token.slice(payloadEnd + 1))) {
    return rejected('signature_invalid');
  }
  const claims = choice.claims ?? parseJson(decoded(payload));
  if (!isPlainObject(claims)) return rejected('token_malformed');
  const claimPolicy = choice.policy ?? policy;
  if (claimPolicy.accessTokenType && !typeFits(header.typ, claims.type)) return rejected('token_type_invalid');
  return checkClaims(claims, now, claimPolicy);
}

/**
 * With `accessTokenType: 'at+jwt'`: an access token (our `type: 'access'`, or no `type`, as a provider's)
 * carries `typ: at+jwt`, and a refresh token does not. So an ID token of the same issuer and audience
 * (`typ: JWT`), or any other JWT it signs, never passes as an access token (RFC 9068 §4).
 */
function typeFits(typ: unknown, type: unknown): boolean {
  const access = typeof typ === 'string' && ACCESS_TOKEN_TYPES.has(typ.toLowerCase());
  return type === 'refresh' ? !access : access;
}

/** `crit` names extensions we would have to understand (RFC 7515 §4.1.11): we understand none. */
function checkHeader(header: Record<string, unknown>): Rejection | undefined {
  if (header.crit !== undefined) return rejected('token_malformed');
  const { typ, kid } = header;
  if (typ !== undefined && !(typeof typ === 'string' && JWT_TYPES.has(typ.toLowerCase()))) {
    return rejected('token_malformed');
  }
  if (kid !== undefined && typeof kid !== 'string') return rejected('token_malformed');
  return undefined;
}

/** The text of one base64url segment. */
const decoded = (segment: string): string => Buffer.from(segment, 'base64url').toString('utf8');
