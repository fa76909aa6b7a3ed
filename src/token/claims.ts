import { type Checked, type Rejection, rejected } from '../shared/checked';
import { isPlainObject } from '../shared/json';

/** The claims of a verified token, as the user loader and `hasScopes` see them. */
export interface TokenPayload {
  /** The user's identifier. */
  sub: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  /** Issue time, in seconds since the epoch. */
  iat?: number;
  /** Not valid before, in seconds since the epoch. */
  nbf?: number;
  /** What the token allows, as given to `createAccessToken`. */
  scopes?: string[];
  /** OAuth scopes (RFC 8693, RFC 9068): space-delimited; count when `scopes` is absent. */
  scope?: string;
  /** Scopes as some providers write them (Okta: an array, Entra ID: space-delimited); count when `scopes` is absent. */
  scp?: string | string[];
  /** The token's unique id, for revocation. */
  jti?: string;
  /** `'access'` or `'refresh'`; a token without one is an access token. */
  type?: TokenType;
  /** True on an access token minted right after a password check. */
  fresh?: boolean;
  /** The session a cookie login's CSRF values are signed for: its family (`fam`), else a random value. */
  csrf?: string;
  /** The refresh-token family (one login): shared by every token refreshed from it, revoked together. */
  fam?: string;
  /**
   * When the user logged in (checked the password), in seconds since the epoch (RFC 9470, OpenID
   * Connect): set by `createAccessToken`, `createRefreshToken` and `createTokens`, kept by every
   * token refreshed or renewed from theirs. `@LoggedIn({ maxAge })` reads it.
   */
  auth_time?: number;
  /** How the user logged in (authentication context class), as the app said at login; `@LoggedIn({ acr })` reads it. */
  acr?: string;
  /**
   * The refresh-token generation within its family: 0 (or absent) for the login's first, one
   * more at each rotation. Access tokens carry the generation of the refresh token they came from.
   */
  gen?: number;
  /** The app's own claims, from `data`. */
  [claim: string]: unknown;
}

/** What a token is for: access tokens open routes, refresh tokens only mint new access tokens. */
export type TokenType = 'access' | 'refresh';

/** RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** What a manager demands of claims, beyond their shape; times in seconds. */
export interface ClaimPolicy {
  /** Clock skew allowed on exp, nbf, iat and maxAge. */
  leeway: number;
  /** The longest lifetime a token may have: no token may outlive a `revokeAllFor` cut-off. */
  maxLifetime: number;
  issuer?: string;
  audience?: readonly string[];
  /** Refuse tokens whose `iat` is older than this. */
  maxAge?: number;
  requiredClaims: readonly string[];
  /** `'at+jwt'`: access tokens must carry that `typ`, refresh tokens must not (RFC 9068 §4). */
  accessTokenType?: 'at+jwt' | undefined;
}

/** Every claim check, `now` in (fractional) seconds. jsonwebtoken skips a missing exp and all of these, so they are ours. */
export function checkClaims(payload: unknown, now: number, policy: ClaimPolicy): Checked<TokenPayload> {
  if (!isPlainObject(payload)) return rejected('token_malformed');
  const missing = policy.requiredClaims.find((claim) => !Object.hasOwn(payload, claim));
  if (missing !== undefined) return rejected('claim_invalid', missing);
  return (
    timeFailure(payload, now, policy) ??
    partyFailure(payload, policy) ??
    shapeFailure(payload) ?? { ok: true, value: payload as TokenPayload }
  );
}

/** The checks that change with time (exp, nbf, iat, maxAge): all a remembered token needs again. */
export function timeFailure(payload: Record<string, unknown>, now: number, policy: ClaimPolicy): Rejection | undefined {
  const { exp, nbf, iat } = payload;
  const { leeway, maxLifetime, maxAge } = policy;
  if (!isFiniteNumber(exp)) return rejected('claim_invalid', 'exp');
  if (nbf !== undefined && !isFiniteNumber(nbf)) return rejected('claim_invalid', 'nbf');
  if (iat !== undefined && !isFiniteNumber(iat)) return rejected('claim_invalid', 'iat');
  if (maxAge !== undefined && iat === undefined) return rejected('claim_invalid', 'iat');
  if (now >= exp + leeway) return rejected('token_expired');
  if (exp - now > maxLifetime + leeway || (iat !== undefined && exp - iat > maxLifetime + leeway)) {
    return rejected('claim_invalid', 'exp');
  }
  if ((nbf !== undefined && nbf > now + leeway) || (iat !== undefined && iat > now + leeway)) {
    return rejected('token_not_yet_valid');
  }
  if (maxAge !== undefined && now - (iat as number) > maxAge + leeway) return rejected('token_expired');
  return undefined;
}

function partyFailure(payload: Record<string, unknown>, policy: ClaimPolicy): Rejection | undefined {
  if (policy.issuer !== undefined && payload.iss !== policy.issuer) return rejected('issuer_invalid');
  const { audience } = policy;
  if (audience === undefined) return undefined;
  const { aud } = payload;
  const named = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return named.some((entry) => typeof entry === 'string' && audience.includes(entry))
    ? undefined
    : rejected('audience_invalid');
}

function shapeFailure(payload: Record<string, unknown>): Rejection | undefined {
  const { sub, scopes, scope, scp, jti, type, fresh, csrf } = payload;
  if (typeof sub !== 'string' || sub === '') return rejected('claim_invalid', 'sub');
  if (scopes !== undefined && !isStringList(scopes)) return rejected('claim_invalid', 'scopes');
  // Provider scopes are only read without `scopes`, so only then must they be well-formed.
  if (scopes === undefined && scope !== undefined && typeof scope !== 'string')
    return rejected('claim_invalid', 'scope');
  if (scopes === undefined && scp !== undefined && typeof scp !== 'string' && !isStringList(scp)) {
    return rejected('claim_invalid', 'scp');
  }
  if (jti !== undefined && (typeof jti !== 'string' || jti === '')) return rejected('claim_invalid', 'jti');
  if (type !== undefined && type !== 'access' && type !== 'refresh') return rejected('claim_invalid', 'type');
  if (fresh !== undefined && typeof fresh !== 'boolean') return rejected('claim_invalid', 'fresh');
  if (csrf !== undefined && typeof csrf !== 'string') return rejected('claim_invalid', 'csrf');
  if (payload.auth_time !== undefined && !isFiniteNumber(payload.auth_time))
    return rejected('claim_invalid', 'auth_time');
  if (payload.acr !== undefined && typeof payload.acr !== 'string') return rejected('claim_invalid', 'acr');
  if (payload.fam !== undefined && (typeof payload.fam !== 'string' || payload.fam === '')) {
    return rejected('claim_invalid', 'fam');
  }
  const { gen } = payload;
  if (gen !== undefined && !(Number.isSafeInteger(gen) && (gen as number) >= 0)) {
    return rejected('claim_invalid', 'gen');
  }
  return undefined;
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string');

/** True when every required scope is granted; extra grants are fine, `[]` always passes. */
export function grantsScopes(payload: TokenPayload, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  const granted = grantedScopes(payload);
  return required.every((scope) => granted.includes(scope));
}

/** The token's scopes: `scopes` (ours) when present, else `scope` and `scp` (identity providers') together. */
function grantedScopes(payload: TokenPayload): readonly string[] {
  if (payload.scopes !== undefined) return payload.scopes;
  const { scope, scp } = payload;
  if (scope === undefined && scp === undefined) return [];
  return [...spaceDelimited(scope), ...(Array.isArray(scp) ? scp : spaceDelimited(scp))];
}

const spaceDelimited = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(' ').filter((entry) => entry !== '');

/** The token's type; tokens from before types existed are access tokens. */
export const tokenType = (payload: TokenPayload): TokenType => payload.type ?? 'access';
