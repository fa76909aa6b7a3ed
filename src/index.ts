export { type ClassOrMethodDecorator, LoggedIn, type LoggedInOptions } from './decorators/logged-in';
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
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginConfigurationError,
  LoginError,
  type LoginErrorCode,
} from './errors';
export type { TokenSource } from './extraction';
export { loginConfig } from './login-config';
export { LoginManager, type LoginMiddleware } from './login-manager';
export type { Clock, ErrorClass, ErrorFactory, LoginOptions } from './options';
export { PasswordForm } from './password-form';
export type { CookieOptions } from './set-cookie';
export type { TokenPayload } from './token/claims';
export type { Duration } from './token/duration';
export type { AccessTokenRequest, TokenData } from './token/issue';
export { ALGORITHMS, type Algorithm, type EncryptedPrivateKey, type Secret } from './token/keys';
