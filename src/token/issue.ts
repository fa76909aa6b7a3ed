import { randomBytes, randomUUID } from 'node:crypto';
import { DURATION_HINT, type Duration, durationSeconds } from '../shared/duration';
import { isPlainObject } from '../shared/json';
import { isScopeToken, type TokenPayload, type TokenType } from './claims';
import { timeOrderedId } from './ids';
import { refuseUnknownKeys } from './request-keys';

/** The claims a token is made from; `sub` identifies the user. */
export interface TokenData {
  /** The user's identifier, handed to the user loader: a non-empty string. */
  sub: string;
  [claim: string]: unknown;
}

/** What `createRefreshToken` takes. */
export interface RefreshTokenRequest {
  /** The token's claims; `sub` is required. */
  data: TokenData;
  /** Lifetime: seconds or a string like `'30d'`. Default: the manager's `refreshExpiry`. */
  expiresIn?: Duration;
  /** What access tokens minted from this refresh token allow. */
  scopes?: string[];
  /**
   * How the user logged in (e.g. `'mfa'`), written as the `acr` claim and kept through refreshes,
   * for `@LoggedIn({ acr: ['mfa'] })`: a word without spaces or quotes.
   */
  acr?: string;
}

/** What `createAccessToken` takes. */
export interface AccessTokenRequest extends RefreshTokenRequest {
  /** Lifetime: seconds or a string like `'1h'`. Default: the manager's `defaultExpiry`. */
  expiresIn?: Duration;
  /** What the token allows; stored de-duplicated as the `scopes` claim. */
  scopes?: string[];
  /** Mark a login made with a password just now, for `@LoggedIn({ fresh: true })` routes. */
  fresh?: boolean;
}

/** How the manager issues tokens; times in seconds except `nowMs`. */
export interface IssuePolicy {
  nowMs: number;
  defaultLifetime: number;
  /** The longest lifetime allowed: `revokeAllFor` cut-offs are kept this long. */
  maxLifetime: number;
  /** Add a `csrf` claim (cookie mode with CSRF protection). */
  csrf: boolean;
  /** Written as `iss`. */
  issuer?: string | undefined;
  /** Written as `aud`. */
  audience?: string | undefined;
}

/** Claims the library sets itself; `data` may not carry them. */
const RESERVED: Record<string, string> = {
  exp: 'is set from expiresIn',
  iat: 'is set from the clock',
  scopes: 'is set from the scopes option',
  fresh: 'is set from the fresh option',
  jti: 'is generated',
  type: 'is set by createAccessToken/createRefreshToken',
  csrf: 'is generated',
  iss: 'is set from the issuer option',
  aud: 'is set from the audience option',
  scope: 'would count as scopes; use the scopes option',
  scp: 'would count as scopes; use the scopes option',
  fam: 'is set by createRefreshToken/createTokens (the refresh-token family)',
  auth_time: 'is set from the clock (the login is now)',
  acr: 'is set from the acr option',
  gen: 'is set by refreshTokens (the refresh-token generation)',
  cnf: "is set from createTokens' dpop option (the DPoP key the tokens are bound to)",
};

/** Validates a token request and returns the claims to sign. */
export function newClaims(
  caller: string,
  request: AccessTokenRequest,
  type: TokenType,
  policy: IssuePolicy,
  family?: string,
): Record<string, unknown> {
  if (!isPlainObject(request)) throw new TypeError(`${caller} takes { data, expiresIn?, scopes? }.`);
  refuseUnknownKeys(caller, request, type);
  const { data, expiresIn, scopes, fresh, acr } = request;
  if (!isPlainObject(data)) throw new TypeError(`${caller}: \`data\` is an object of claims with a \`sub\`.`);
  if (typeof data.sub !== 'string' || data.sub === '') {
    throw new TypeError(`${caller}: \`data.sub\` (the user's identifier) must be a non-empty string.`);
  }
  for (const claim of Object.keys(data)) {
    if (RESERVED[claim]) throw new TypeError(`${caller}: \`data.${claim}\` ${RESERVED[claim]}, not taken from data.`);
  }
  if (fresh !== undefined && typeof fresh !== 'boolean') throw new TypeError(`${caller}: \`fresh\` is a boolean.`);
  if (acr !== undefined && !isScopeToken(acr)) {
    throw new TypeError(`${caller}: \`acr\` is a word without spaces or quotes, such as 'mfa'.`);
  }
  const lifetime = lifetimeOf(caller, expiresIn, policy);
  // Every refresh token starts a family (one login); tokens refreshed from it carry the same `fam`.
  const fam = family ?? (type === 'refresh' ? randomUUID() : undefined);
  const claims = stamp({ ...data, ...(fam === undefined ? {} : { fam }) }, type, lifetime, policy);
  if (scopes !== undefined) claims.scopes = scopeList(caller, scopes);
  if (fresh) claims.fresh = true;
  // A login: the password was checked now (RFC 9470). Tokens made from this one keep both claims.
  claims.auth_time = Math.floor(policy.nowMs / 1000);
  if (acr !== undefined) claims.acr = acr;
  return claims;
}

/**
 * Claims for a new access token from a verified one: a refresh token's (for
 * `refreshAccessToken`) or an expiring cookie's (sliding sessions). Never fresh. From a
 * refresh token, it ends by that token's `exp` at the latest: a login ends when its refresh
 * tokens do, and the store keeps what it knows of the login that long.
 */
export function renewedClaims(
  from: TokenPayload,
  lifetime: number,
  policy: IssuePolicy,
  keepCsrf: boolean,
): Record<string, unknown> {
  const { data, csrf } = carriedClaims(from);
  const left = from.type === 'refresh' ? from.exp - Math.floor(policy.nowMs / 1000) : lifetime;
  const claims = stamp(data, 'access', Math.max(1, Math.min(lifetime, policy.maxLifetime, left)), policy);
  if (keepCsrf && csrf !== undefined) claims.csrf = csrf;
  return claims;
}

/**
 * What a token made from `from` (renewed, rotated, remembered) carries over: its own claims
 * and the app's data, without those {@link stamp} sets anew and `fresh` (a new token is
 * never fresh); its `csrf` apart, for the caller to keep or not.
 */
export function carriedClaims(from: TokenPayload): { data: Record<string, unknown>; csrf: unknown } {
  const { iat: _i, exp: _e, nbf: _n, jti: _j, type: _t, fresh: _f, iss: _s, aud: _a, csrf, ...data } = from;
  return { data, csrf };
}

/**
 * Adds iat and exp (whole seconds), jti, type, iss, aud, csrf (the family, else random). The jti is time-ordered (see
 * `timeOrderedId`), so `revokeAllFor` can tell tokens of the same second apart.
 */
export function stamp(
  claims: Record<string, unknown>,
  type: TokenType,
  lifetime: number,
  policy: IssuePolicy,
): Record<string, unknown> {
  const now = Math.floor(policy.nowMs / 1000);
  claims.iat = now;
  claims.exp = now + lifetime;
  claims.jti = timeOrderedId(policy.nowMs);
  claims.type = type;
  if (policy.issuer !== undefined) claims.iss = policy.issuer;
  if (policy.audience !== undefined) claims.aud = policy.audience;
  // The session CSRF values are bound to: a login's family when it has one, so refreshes keep it.
  if (policy.csrf && type === 'access') {
    claims.csrf = typeof claims.fam === 'string' ? claims.fam : randomBytes(16).toString('base64url');
  }
  return claims;
}

function lifetimeOf(caller: string, expiresIn: unknown, policy: IssuePolicy): number {
  const lifetime = expiresIn === undefined ? policy.defaultLifetime : durationSeconds(expiresIn);
  if (lifetime === undefined) throw new TypeError(`${caller}: \`expiresIn\` is ${DURATION_HINT}.`);
  if (lifetime > policy.maxLifetime) {
    throw new TypeError(
      `${caller}: \`expiresIn\` (${lifetime}s) is longer than the longest lifetime this manager issues ` +
        `(${policy.maxLifetime}s, the larger of defaultExpiry and refreshExpiry), which is how long revokeAllFor() ` +
        'remembers its cut-off. Raise refreshExpiry to issue longer-lived tokens.',
    );
  }
  return lifetime;
}

function scopeList(caller: string, scopes: unknown): string[] {
  if (!Array.isArray(scopes) || !scopes.every(isScopeToken)) {
    throw new TypeError(`${caller}: \`scopes\` is an array of scope names without spaces or quotes.`);
  }
  return [...new Set(scopes)];
}
