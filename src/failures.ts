import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bearerChallenge,
  CsrfError,
  describeFailure,
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginError,
  type LoginErrorCode,
} from './errors';
import type { AuthFailureHook, ErrorFactory } from './options';
import type { LoginLogger } from './revocation/guarded-store';

/** Why a login failed: the code, and the claim behind a `claim_invalid`. */
export interface FailureReason {
  code: LoginErrorCode;
  claim?: string;
}

export interface FailureOptions {
  notAuthenticatedError: ErrorFactory | undefined;
  outOfScopeError: ErrorFactory | undefined;
  exposeErrorDescriptions: boolean;
  onAuthFailure: AuthFailureHook | undefined;
  logger: LoginLogger;
}

/** Builds the errors the library throws, sets their RFC 6750 challenges, and reports each refusal once. */
export class Failures {
  constructor(private readonly options: FailureOptions) {}

  /** A CSRF failure is its own 403; every other failed login is the not-authenticated error (401). */
  login(reason: FailureReason, response?: ServerResponse, request?: IncomingMessage): Error {
    this.report(reason.code, request);
    if (reason.code === 'csrf_failed') return this.expose(new CsrfError(), reason);
    if (response) this.challenge(response, reason);
    const { code } = reason;
    const error = appError(this.options.notAuthenticatedError, () => new InvalidCredentialsError(code), reason, 401);
    return this.expose(error, reason);
  }

  scope(scopes: readonly string[], response?: ServerResponse, request?: IncomingMessage): Error {
    const reason: FailureReason = { code: 'insufficient_scope' };
    this.report(reason.code, request);
    if (response && !response.headersSent) {
      const description = this.options.exposeErrorDescriptions ? describeFailure(reason.code) : undefined;
      response.setHeader('WWW-Authenticate', bearerChallenge({ error: 'insufficient_scope', scopes, description }));
    }
    const error = appError(this.options.outOfScopeError, () => new InsufficientScopeError(), reason, 403);
    return this.expose(error, reason);
  }

  /** `WWW-Authenticate`: bare `Bearer` when no token came (RFC 6750 §3.1), `invalid_token` when one was refused. */
  challenge(response: ServerResponse, reason: FailureReason): void {
    if (response.headersSent) return;
    if (reason.code === 'token_missing') {
      response.setHeader('WWW-Authenticate', bearerChallenge());
      return;
    }
    const description = this.options.exposeErrorDescriptions ? describeFailure(reason.code, reason.claim) : undefined;
    response.setHeader('WWW-Authenticate', bearerChallenge({ error: 'invalid_token', description }));
  }

  /** Calls `onAuthFailure`; it is told, never asked: its result and its exceptions change nothing. */
  private report(code: LoginErrorCode, request: IncomingMessage | undefined): void {
    const hook = this.options.onAuthFailure;
    if (!hook) return;
    const complain = (error: unknown) =>
      this.options.logger.error('routing-controllers-login: onAuthFailure threw', error);
    try {
      Promise.resolve(hook(code, request)).catch(complain);
    } catch (error) {
      complain(error);
    }
  }

  private expose(error: Error, reason: FailureReason): Error {
    if (error instanceof LoginError && this.options.exposeErrorDescriptions) {
      Object.defineProperty(error, 'exposed', { value: true, enumerable: false });
    }
    if (error instanceof LoginError && reason.claim !== undefined) error.claim = reason.claim;
    return error;
  }
}

/**
 * The app's own error, if configured, else ours. An app error gets `code` (and `claim`)
 * and an `httpCode` (non-enumerable, so none reaches the response body) unless it has
 * its own, so routing-controllers answers 401/403 rather than 500.
 */
function appError(
  factory: ErrorFactory | undefined,
  fallback: () => LoginError,
  reason: FailureReason,
  status: number,
) {
  if (!factory) return fallback();
  const error = factory();
  if (error instanceof LoginError) {
    error.code = reason.code;
    return error;
  }
  stamp(error, 'code', reason.code);
  if (reason.claim !== undefined) stamp(error, 'claim', reason.claim);
  stamp(error, 'httpCode', status);
  return error;
}

function stamp(error: Error, key: string, value: unknown): void {
  if ((error as unknown as Record<string, unknown>)[key] !== undefined) return;
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}
