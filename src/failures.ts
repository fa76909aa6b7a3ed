import type { ServerResponse } from 'node:http';
import {
  bearerChallenge,
  CsrfError,
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginError,
  type LoginErrorCode,
} from './errors';
import type { ErrorFactory } from './options';

/** The app's error classes, if it configured any. */
export interface AppErrors {
  notAuthenticated: ErrorFactory | undefined;
  outOfScope: ErrorFactory | undefined;
}

/**
 * The error for a failed login. A CSRF failure is its own 403; everything else is the
 * not-authenticated error, with its RFC 6750 challenge set on the response when there is one.
 */
export function loginFailure(code: LoginErrorCode, errors: AppErrors, response?: ServerResponse): Error {
  if (code === 'csrf_failed') return new CsrfError();
  if (response) challenge(response, code);
  return appError(errors.notAuthenticated, () => new InvalidCredentialsError(code), code, 401);
}

export function scopeFailure(scopes: readonly string[], errors: AppErrors, response?: ServerResponse): Error {
  if (response && !response.headersSent) {
    response.setHeader('WWW-Authenticate', bearerChallenge({ error: 'insufficient_scope', scopes }));
  }
  const code = 'insufficient_scope';
  return appError(errors.outOfScope, () => new InsufficientScopeError(code), code, 403);
}

/** Sets `WWW-Authenticate`: bare `Bearer` when no token came, `invalid_token` when one was refused. */
export function challenge(response: ServerResponse, code: LoginErrorCode): void {
  if (response.headersSent) return;
  const error = code === 'token_missing' ? undefined : 'invalid_token';
  response.setHeader('WWW-Authenticate', bearerChallenge(error ? { error } : {}));
}

/**
 * The app's own error, if configured, else ours. An app error gets `code` and an
 * `httpCode` (non-enumerable, so neither reaches the response body) unless it has its
 * own, so routing-controllers answers 401/403 rather than 500.
 */
function appError(factory: ErrorFactory | undefined, fallback: () => LoginError, code: LoginErrorCode, status: number) {
  if (!factory) return fallback();
  const error = factory();
  if (error instanceof LoginError) {
    error.code = code;
    return error;
  }
  stamp(error, 'code', code);
  stamp(error, 'httpCode', status);
  return error;
}

function stamp(error: Error, key: string, value: unknown): void {
  if ((error as unknown as Record<string, unknown>)[key] !== undefined) return;
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}
