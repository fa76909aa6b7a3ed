/**
 * JWT login for routing-controllers apps: `LoginManager`, `@LoggedIn()`, `@User()`, `loginConfig()`.
 * @module routing-controllers-login
 */
export { CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER } from './csrf';
export { type ClassOrMethodDecorator, LoggedIn, type LoggedInOptions } from './decorators/logged-in';
export { RequireCsrf } from './decorators/require-csrf';
export { User, type UserOptions } from './decorators/user';
export {
  type MaybeUser,
  UserLoader,
  type UserLoaderClass,
  type UserLoaderFunction,
  type UserLoaderOption,
} from './decorators/user-loader';
export {
  type BearerChallenge,
  bearerChallenge,
  CsrfError,
  InsufficientScopeError,
  InvalidCredentialsError,
  KeySourceUnavailableError,
  LoginConfigurationError,
  LoginError,
  type LoginErrorBody,
  type LoginErrorCode,
  LoginStoreUnavailableError,
} from './errors';
export type { HttpExchange, KoaContextLike, KoaLike } from './frameworks/exchange';
export type { LoginMiddleware } from './frameworks/middleware';
export type { IssuerConfig } from './keys/options';
export type { RemoteKeysOptions } from './keys/settings';
export { loginConfig } from './login-config';
export { LoginManager } from './login-manager';
export type { MaybePromise } from './maybe-promise';
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
export type { AuthFailureHook, Clock, ErrorClass, ErrorFactory, LoginOptions } from './options';
export { PasswordForm } from './password-form';
export type { LoginLogger } from './revocation/guarded-store';
export { MemoryRevocationStore } from './revocation/memory-store';
export {
  type RedisCommands,
  RedisRevocationStore,
  type RedisRevocationStoreOptions,
} from './revocation/redis-store';
export type { TokenPair } from './revocation/rotation';
export type { RevocationLookup, RevocationStore } from './revocation/store';
export type { SessionCookieOptions } from './session-cookies';
export type { CookieOptions } from './set-cookie';
export type { ThrottleClient } from './throttle/client';
export { TooManyLoginAttemptsError } from './throttle/error';
export { LoginThrottle } from './throttle/login-throttle';
export { MemoryThrottleStore } from './throttle/memory-store';
export type { LoginThrottleOptions, ThrottleRule } from './throttle/options';
export { RedisThrottleStore, type RedisThrottleStoreOptions, type ThrottleRedisCommands } from './throttle/redis-store';
export type { ThrottleLimits, ThrottleStore } from './throttle/store';
export type { TokenPayload, TokenType } from './token/claims';
export type { Duration } from './token/duration';
export type { TokenPairRequest } from './token/family';
export type { AccessTokenRequest, RefreshTokenRequest, TokenData } from './token/issue';
export type { JsonWebKeySet, KeyConfig } from './token/key-ring';
export { ALGORITHMS, type Algorithm, type EncryptedPrivateKey, type PublicKeyInput, type Secret } from './token/keys';
