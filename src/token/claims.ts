import type { LoginErrorCode } from '../errors';

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
  /** The app's own claims, from `data`. */
  [claim: string]: unknown;
}

/** The outcome of checking a token; failures say why, for `LoginError.code`. */
export type Checked<T> = { ok: true; value: T } | { ok: false; code: LoginErrorCode; claim?: string };

export const rejected = (code: LoginErrorCode, claim?: string): Checked<never> =>
  claim === undefined ? { ok: false, code } : { ok: false, code, claim };

/** RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Time and identity checks, in seconds; jsonwebtoken skips a missing `exp` and any `sub`, so they are ours. */
export function checkClaims(payload: unknown, now: number, leeway: number): Checked<TokenPayload> {
  if (!isPlainObject(payload)) return rejected('token_malformed');
  const { exp, nbf, iat, sub, scopes } = payload;
  if (!isFiniteNumber(exp)) return rejected('claim_invalid', 'exp');
  if (nbf !== undefined && !isFiniteNumber(nbf)) return rejected('claim_invalid', 'nbf');
  if (iat !== undefined && !isFiniteNumber(iat)) return rejected('claim_invalid', 'iat');
  if (now >= exp + leeway) return rejected('token_expired');
  if (nbf !== undefined && nbf > now + leeway) return rejected('token_not_yet_valid');
  if (typeof sub !== 'string' || sub === '') return rejected('claim_invalid', 'sub');
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
    return rejected('claim_invalid', 'scopes');
  }
  return { ok: true, value: payload as TokenPayload };
}

/** True when every required scope is granted; extra grants are fine, `[]` always passes. */
export function grantsScopes(payload: TokenPayload, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  const granted = payload.scopes ?? [];
  return required.every((scope) => granted.includes(scope));
}
