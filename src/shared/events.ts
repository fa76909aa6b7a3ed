import { channel } from 'node:diagnostics_channel';
import type { LoginErrorCode } from './error-codes';

/**
 * The `node:diagnostics_channel` channels the library publishes security events on, for an
 * audit log, metrics or tracing: `subscribe(LOGIN_EVENTS.login, (message) => ...)`. No
 * message ever carries a token, a signature, a password, a cookie value or a query string.
 * Publishing costs nothing while no one subscribes.
 */
export const LOGIN_EVENTS = {
  /** A login's tokens were issued (`createTokens`, `createAccessToken`, `createRefreshToken`): {@link LoginEvent}. */
  login: 'routing-controllers-login:login',
  /** New tokens from a refresh token (`refreshTokens`, `refreshAccessToken`): {@link RefreshEvent}. */
  refresh: 'routing-controllers-login:refresh',
  /** A used refresh token came back, and its login was ended: {@link RefreshReusedEvent}. */
  refreshReused: 'routing-controllers-login:refresh-reused',
  /** `logout(req, res)` ended a login: {@link LogoutEvent}. */
  logout: 'routing-controllers-login:logout',
  /** `revokeAllFor(sub)` ended every login of a user: {@link LogoutAllEvent}. */
  logoutAll: 'routing-controllers-login:logout-all',
  /** One login was ended (`endSession`), or pushed out by newer ones (`maxSessions`): {@link SessionEndedEvent}. */
  sessionEnded: 'routing-controllers-login:session-ended',
  /** A request (or a call such as `getCurrentUser`) was refused: {@link AuthFailureEvent}. */
  authFailure: 'routing-controllers-login:auth-failure',
  /** `LoginThrottle` refused a login attempt (429): {@link ThrottledEvent}. */
  throttled: 'routing-controllers-login:throttled',
  /** The revocation or throttle store stopped answering, or answers again: {@link StoreOutageEvent}. */
  storeOutage: 'routing-controllers-login:store-outage',
  /** A remote key source (JWK Set URL, discovery) failed, or answers again: {@link KeySourceOutageEvent}. */
  keySourceOutage: 'routing-controllers-login:key-source-outage',
} as const;

/** The name of one of the channels in {@link LOGIN_EVENTS}. */
export type LoginEventName = (typeof LOGIN_EVENTS)[keyof typeof LOGIN_EVENTS];

/** `routing-controllers-login:login`: tokens were issued for a login. */
export interface LoginEvent {
  /** The user. */
  sub: string;
  /** The login's refresh-token family (its session); none for a lone access token. */
  family?: string;
  /** How the user logged in, when the app said (`acr`). */
  acr?: string;
}

/** `routing-controllers-login:refresh`: new tokens from a refresh token. */
export interface RefreshEvent {
  /** The user. */
  sub: string;
  /** The login's family; none for a refresh token from before families. */
  family?: string;
  /** The refresh token was rotated (`refreshTokens` under `rotateRefreshTokens`), not just used. */
  rotated: boolean;
}

/** `routing-controllers-login:refresh-reused`: a used refresh token was presented again; its login is ended. */
export interface RefreshReusedEvent {
  /** The user. */
  sub: string;
  /** The login (family) ended. */
  family: string;
}

/** `routing-controllers-login:logout`: `logout()` ended the request's login. */
export interface LogoutEvent {
  /** The user. */
  sub: string;
  /** The logins (families) ended: the token's and the remember-me cookie's, when they have one. */
  families: string[];
}

/** `routing-controllers-login:logout-all`: `revokeAllFor(sub)` refused every token of the user issued until now. */
export interface LogoutAllEvent {
  /** The user. */
  sub: string;
}

/** `routing-controllers-login:session-ended`: one login of a user ended, its every token refused from now on. */
export interface SessionEndedEvent {
  /** The user. */
  sub: string;
  /** The login (family): the `id` of `sessions(sub)`, the `family` of its `:login` event. */
  family: string;
  /** `'ended'` by `endSession(sub, id)`; `'evicted'` by a newer login beyond `maxSessions`. */
  reason: 'ended' | 'evicted';
}

/** `routing-controllers-login:auth-failure`: a refusal, as `onAuthFailure` sees it. */
export interface AuthFailureEvent {
  /** Why: the refusal's `LoginErrorCode`, as `error.code` and `onAuthFailure` have it. */
  code: LoginErrorCode;
  /** With `claim_invalid`: which claim. */
  claim?: string;
  /** The request's method, when a request was refused. */
  method?: string;
  /** The request's path, without its query string (which may carry secrets, such as a token). */
  path?: string;
}

/** `routing-controllers-login:throttled`: `LoginThrottle.attempt` refused an attempt with 429. */
export interface ThrottledEvent {
  /** Which count made it wait: the account's or the client address's. */
  limit: 'account' | 'address';
  /** Seconds until it may try again (`Retry-After`). */
  retryAfter: number;
  /** The client address (an IPv6 one by its /64), when known. Never the username, which may be a password typed in the wrong field. */
  address?: string;
}

/** Whether an outage began or ended. */
export type OutagePhase = 'start' | 'end';

/** `routing-controllers-login:store-outage`: once when a store stops answering, once when it answers again. */
export interface StoreOutageEvent {
  /** The manager's revocation store, or a `LoginThrottle`'s store. */
  store: 'revocation' | 'throttle';
  /** `'start'` at the first failed call, `'end'` at the first that answers again. */
  phase: OutagePhase;
}

/** `routing-controllers-login:key-source-outage`: once when a remote key source fails, once when it answers again. */
export interface KeySourceOutageEvent {
  /** The JWK Set or discovery URL, without credentials, query or fragment. */
  source: string;
  /** `'start'` at the first failed fetch, `'end'` at the first that succeeds again. */
  phase: OutagePhase;
  /** Keys fetched earlier keep verifying meanwhile; without any, tokens are refused with 503. */
  keysKnown: boolean;
}

/** Each channel's name and the type of its messages, for `(message as LoginEventMessages[typeof name])`. */
export interface LoginEventMessages {
  /** Tokens issued at a login. */
  'routing-controllers-login:login': LoginEvent;
  /** New tokens from a refresh token. */
  'routing-controllers-login:refresh': RefreshEvent;
  /** A used refresh token presented again. */
  'routing-controllers-login:refresh-reused': RefreshReusedEvent;
  /** `logout()`. */
  'routing-controllers-login:logout': LogoutEvent;
  /** `revokeAllFor()`. */
  'routing-controllers-login:logout-all': LogoutAllEvent;
  /** `endSession()`, or a login pushed out by `maxSessions`. */
  'routing-controllers-login:session-ended': SessionEndedEvent;
  /** A refusal. */
  'routing-controllers-login:auth-failure': AuthFailureEvent;
  /** A throttled login attempt. */
  'routing-controllers-login:throttled': ThrottledEvent;
  /** A store outage's start or end. */
  'routing-controllers-login:store-outage': StoreOutageEvent;
  /** A key source outage's start or end. */
  'routing-controllers-login:key-source-outage': KeySourceOutageEvent;
}

/** A channel that takes one type of message. Check `hasSubscribers` before building one. */
export interface EventChannel<T> {
  readonly hasSubscribers: boolean;
  publish(message: T): void;
}

const typed = <K extends keyof typeof LOGIN_EVENTS>(
  key: K,
): EventChannel<LoginEventMessages[(typeof LOGIN_EVENTS)[K]]> => channel(LOGIN_EVENTS[key]);

/**
 * The channels, made once here: module constants, so that a publisher's only cost without
 * subscribers is reading `hasSubscribers` (and the channel objects live as long as the library).
 */
export const EVENTS = {
  login: typed('login'),
  refresh: typed('refresh'),
  refreshReused: typed('refreshReused'),
  logout: typed('logout'),
  logoutAll: typed('logoutAll'),
  sessionEnded: typed('sessionEnded'),
  authFailure: typed('authFailure'),
  throttled: typed('throttled'),
  storeOutage: typed('storeOutage'),
  keySourceOutage: typed('keySourceOutage'),
} as const;

/** What an `OutageLog` of the revocation or throttle store tells: its outage's start and end, on `:store-outage`. */
export const storeOutage =
  (store: StoreOutageEvent['store']) =>
  (phase: OutagePhase): void => {
    if (EVENTS.storeOutage.hasSubscribers) EVENTS.storeOutage.publish({ store, phase });
  };
