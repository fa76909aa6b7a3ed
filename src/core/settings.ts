import type { IncomingMessage } from 'node:http';
import type { DpopSetup } from '../dpop/options';
import type { CsrfValues } from '../http/csrf-token';
import type { SessionCookieOptions } from '../http/session-cookies';
import type { KeyRing } from '../keys/key-ring';
import type { TrustedIssuer } from '../keys/source';
import type { RevocationStore } from '../revocation/store';
import type { Clock } from '../shared/clock';
import type { LoginErrorCode } from '../shared/errors';
import type { LoginLogger } from '../shared/logger';
import type { UserLoaderOption } from './user-loader';

/** An `Error` subclass constructed with no arguments, e.g. `class NotLoggedIn extends Error {}`. */
export type ErrorClass = new () => Error;
/** A function returning the error to throw, e.g. `() => new UnauthorizedError('Log in first')`. */
export type ErrorFactory = () => Error;

/** `onAuthFailure`: sees every refusal; what it returns or throws changes nothing. */
export type AuthFailureHook = (code: LoginErrorCode, request: IncomingMessage | undefined) => void;

/** Options after defaults and validation; what the manager runs on. */
export interface ResolvedOptions<TUser> {
  /** The keys this manager signs with and publishes (empty for a manager that fetches its keys). */
  keys: KeyRing;
  /** The issuers whose tokens verify, with their keys. */
  trust: TrustedIssuer[];
  /** Seconds; verify-only managers only. */
  maxTokenLifetime: number | undefined;
  tokenUrl: string;
  useHeader: boolean;
  useCookie: boolean;
  cookieName: string;
  defaultExpiry: number;
  notAuthenticatedError: ErrorFactory | undefined;
  outOfScopeError: ErrorFactory | undefined;
  userLoader: UserLoaderOption<TUser> | undefined;
  scopes: Readonly<Record<string, string>>;
  clock: Clock;
  refreshExpiry: number;
  revocationStore: RevocationStore;
  storeTimeout: number;
  csrf: boolean;
  /** The CSRF cookie's name and how its values are made and checked (`csrfCookieName`, `csrfSecret`). */
  csrfValues: CsrfValues;
  refreshCookieWithin: number | undefined;
  cookieOptions: SessionCookieOptions;
  logger: LoginLogger;
  issuer: string | undefined;
  audience: string[] | undefined;
  clockTolerance: number;
  maxAge: number | undefined;
  requiredClaims: string[];
  maxTokenLength: number;
  exposeErrorDescriptions: boolean;
  onAuthFailure: AuthFailureHook | undefined;
  rotateRefreshTokens: boolean;
  /** Seconds a refresh token rotated away still refreshes its login. */
  refreshGrace: number;
  /** Live logins kept per user. */
  maxSessions: number;
  noStore: boolean;
  tokenCacheSize: number;
  refreshCookieName: string;
  /** `'at+jwt'`: the `typ` of issued access tokens (RFC 9068). */
  accessTokenType: 'at+jwt' | undefined;
  /** DPoP (RFC 9449), when on. */
  dpop: DpopSetup | undefined;
  /** Routes without `@Public()` need a login. */
  loggedInByDefault: boolean;
  /** Where a browser's page request without a valid login is sent (303), with `next`. */
  loginPage: string | undefined;
}
