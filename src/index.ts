/**
 * JWT login for routing-controllers apps: `LoginManager`, `@LoggedIn()`, `@User()`, `loginConfig()`.
 * @module routing-controllers-login
 */

export type { LoginOptions } from './config/options';
export type { LoginMiddleware } from './core/middleware';
export type { LoggedInOptions } from './core/requirements';
export type { AuthFailureHook, ErrorClass, ErrorFactory } from './core/settings';
export type { IssuedTokens, TokenResponse } from './core/token-response';
export type { MaybeUser, UserLoaderClass, UserLoaderFunction, UserLoaderOption } from './core/user-loader';
export { LoggedIn } from './decorators/logged-in';
export type { ClassOrMethodDecorator } from './decorators/mark';
export { Public } from './decorators/public';
export { RequireCsrf } from './decorators/require-csrf';
export { User, type UserOptions } from './decorators/user';
export { UserLoader } from './decorators/user-loader';
export type { DpopAlgorithm } from './dpop/algorithms';
export { HmacNonces, type HmacNoncesOptions, type NonceSource } from './dpop/nonce';
export type { DpopOptions } from './dpop/options';
export type { HttpExchange, KoaContextLike, KoaLike } from './frameworks/exchange';
export { CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER } from './http/csrf';
export { PasswordForm } from './http/password-form';
export type { SessionCookieOptions } from './http/session-cookies';
export type { CookieOptions } from './http/set-cookie';
export { ALGORITHMS, type Algorithm } from './keys/algorithms';
export type { KeyConfig } from './keys/key-ring';
export type { EncryptedPrivateKey, PublicKeyInput, Secret } from './keys/material';
export type { IssuerConfig } from './keys/options';
export type { RemoteKeysOptions } from './keys/settings';
export type { JsonWebKeySet } from './keys/source';
export { loginConfig } from './login-config';
export { LoginManager } from './login-manager';
export {
  type LoginSecurityOptions,
  loginSecuritySchemes,
  type OpenApiDocument,
  type OpenApiPasswordFlow,
  type OpenApiSecurityRequirement,
  type OpenApiSecurityScheme,
  type WithLoginSecurityOptions,
  withLoginSecurity,
} from './openapi';
export { MemoryRevocationStore } from './revocation/memory-store';
export {
  type RedisCommands,
  type RedisMirrorOptions,
  RedisRevocationStore,
  type RedisRevocationStoreOptions,
} from './revocation/redis-store';
export type { TokenPair } from './revocation/rotation';
export type {
  RevocationLookup,
  RevocationStore,
  RotationOutcome,
  RotationRequest,
  SessionRecord,
} from './revocation/store';
export type { LoginSession } from './sessions/list';
export type { Clock } from './shared/clock';
export type { Duration } from './shared/duration';
export {
  type BearerChallenge,
  BodyNotParsedError,
  bearerChallenge,
  CsrfError,
  InsufficientScopeError,
  InvalidCredentialsError,
  KeySourceUnavailableError,
  LoginConfigurationError,
  LoginError,
  type LoginErrorBody,
  type LoginErrorCode,
  LoginRedirect,
  LoginStoreUnavailableError,
  UserLoaderError,
} from './shared/errors';
export {
  type AuthFailureEvent,
  type KeySourceOutageEvent,
  LOGIN_EVENTS,
  type LoginEvent,
  type LoginEventMessages,
  type LoginEventName,
  type LogoutAllEvent,
  type LogoutEvent,
  type OutagePhase,
  type RefreshEvent,
  type RefreshReusedEvent,
  type SessionEndedEvent,
  type StoreOutageEvent,
  type ThrottledEvent,
} from './shared/events';
export type { LoginLogger } from './shared/logger';
export type { MaybePromise } from './shared/maybe-promise';
export type { ThrottleClient } from './throttle/client';
export { TooManyLoginAttemptsError } from './throttle/error';
export { LoginThrottle } from './throttle/login-throttle';
export { MemoryThrottleStore, type MemoryThrottleStoreOptions } from './throttle/memory-store';
export type { LoginThrottleOptions, ThrottleRule } from './throttle/options';
export { RedisThrottleStore, type RedisThrottleStoreOptions, type ThrottleRedisCommands } from './throttle/redis-store';
export type { ThrottleLimits, ThrottleStore } from './throttle/store';
export type { TokenPayload, TokenType } from './token/claims';
export type { TokenPairRequest } from './token/family';
export type { AccessTokenRequest, RefreshTokenRequest, TokenData } from './token/issue';
