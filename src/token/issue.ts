import { isPlainObject, isScopeToken } from './claims';
import { DURATION_HINT, type Duration, durationSeconds } from './duration';

/** The claims `createAccessToken` writes from `data`; `sub` identifies the user. */
export interface TokenData {
  /** The user's identifier, handed to the user loader: a non-empty string. */
  sub: string;
  [claim: string]: unknown;
}

/** What `createAccessToken` takes. */
export interface AccessTokenRequest {
  /** The token's claims; `sub` is required. */
  data: TokenData;
  /** Lifetime: seconds or a string like `'1h'`. Default: the manager's `defaultExpiry`. */
  expiresIn?: Duration;
  /** What the token allows; stored de-duplicated as the `scopes` claim. */
  scopes?: string[];
}

/** Claims set from options, never from `data`, so a caller cannot forge them by accident. */
const RESERVED: Record<string, string> = { exp: 'expiresIn', iat: 'the clock', scopes: 'scopes' };

/** Validates a token request and returns the claims to sign; `now` in seconds. */
export function accessClaims(request: AccessTokenRequest, now: number, defaultExpiry: number): Record<string, unknown> {
  if (!isPlainObject(request)) throw new TypeError('createAccessToken takes { data, expiresIn?, scopes? }.');
  const { data, expiresIn, scopes } = request;
  if (!isPlainObject(data)) throw new TypeError('createAccessToken: `data` is an object of claims with a `sub`.');
  if (typeof data.sub !== 'string' || data.sub === '') {
    throw new TypeError("createAccessToken: `data.sub` (the user's identifier) must be a non-empty string.");
  }
  for (const claim of Object.keys(data)) {
    const option = RESERVED[claim];
    if (option) throw new TypeError(`createAccessToken: \`data.${claim}\` is set from ${option}, not from data.`);
  }
  const lifetime = expiresIn === undefined ? defaultExpiry : durationSeconds(expiresIn);
  if (lifetime === undefined) throw new TypeError(`createAccessToken: \`expiresIn\` is ${DURATION_HINT}.`);
  const claims: Record<string, unknown> = { ...data, iat: now, exp: now + lifetime };
  if (scopes !== undefined) claims.scopes = scopeList(scopes);
  return claims;
}

function scopeList(scopes: unknown): string[] {
  if (!Array.isArray(scopes) || !scopes.every(isScopeToken)) {
    throw new TypeError('createAccessToken: `scopes` is an array of scope names without spaces or quotes.');
  }
  return [...new Set(scopes)];
}
