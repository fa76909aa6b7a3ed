import type { IncomingMessage } from 'node:http';
import type { DpopSetup } from '../dpop/options';
import type { Exchange } from '../frameworks';
import type { FailureReason } from '../shared/checked';
import {
  BodyNotParsedError,
  bearerChallenge,
  CsrfError,
  describeFailure,
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginError,
} from '../shared/errors';
import { type AuthFailureEvent, EVENTS } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { challengeOf, sentAsDpop } from './challenges';
import type { AuthFailureHook, ErrorFactory } from './settings';
import type { StepUp } from './step-up';

/** The options `Failures` reads. */
export interface FailureOptions {
  notAuthenticatedError: ErrorFactory | undefined;
  outOfScopeError: ErrorFactory | undefined;
  exposeErrorDescriptions: boolean;
  onAuthFailure: AuthFailureHook | undefined;
  logger: LoginLogger;
  dpop: DpopSetup | undefined;
}

/**
 * Builds the errors the library throws, puts their RFC 6750 challenge both on the
 * response and in the error's `headers` (for handlers that reset headers, like Koa's),
 * and reports each refusal once.
 */
export class Failures {
  constructor(private readonly options: FailureOptions) {}

  /** A CSRF failure is its own 403 (an unparsed body its own 400); every other failed login is the not-authenticated error (401). */
  login(reason: FailureReason, exchange?: Exchange): Error {
    this.report(reason, exchange);
    if (reason.code === 'csrf_failed') return this.expose(new CsrfError(), reason);
    if (reason.code === 'body_not_parsed') return this.expose(new BodyNotParsedError(), reason);
    const { code } = reason;
    const fallback = () => new InvalidCredentialsError(code);
    const header = this.challengeFor(reason, exchange);
    return this.refuse(reason, header, this.options.notAuthenticatedError, fallback, exchange);
  }

  /** 403 `insufficient_scope`, naming the scopes the route needs. */
  scope(scopes: readonly string[], exchange?: Exchange): Error {
    const reason: FailureReason = { code: 'insufficient_scope' };
    this.report(reason, exchange);
    const fallback = () => new InsufficientScopeError();
    const header = this.challengeFor(reason, exchange, scopes);
    return this.refuse(reason, header, this.options.outOfScopeError, fallback, exchange);
  }

  /**
   * 401 `insufficient_user_authentication` (RFC 9470 §3): the login is older than the route's
   * `maxAge` or not of one of its `acr` values; the challenge says what a new login must meet.
   */
  stepUp({ maxAge, acr }: StepUp, exchange?: Exchange): Error {
    const reason: FailureReason = { code: 'insufficient_user_authentication' };
    this.report(reason, exchange);
    const description = this.describe(reason);
    const header = bearerChallenge({ error: 'insufficient_user_authentication', description, acrValues: acr, maxAge });
    const fallback = () => new InvalidCredentialsError(reason.code);
    return this.refuse(reason, header, this.options.notAuthenticatedError, fallback, exchange);
  }

  /** The refusal's error (the app's, or `fallback`), its challenge on the response and in the error's `headers`. */
  private refuse(
    reason: FailureReason,
    header: string,
    factory: ErrorFactory | undefined,
    fallback: () => LoginError,
    exchange: Exchange | undefined,
  ): Error {
    // A nonce to use goes with its challenge (RFC 9449 §8), where Koa's error handling keeps it too.
    const headers: Record<string, string> = { 'WWW-Authenticate': header };
    if (reason.nonce !== undefined) headers['DPoP-Nonce'] = reason.nonce;
    setChallenge(exchange, headers);
    const status = reason.code === 'insufficient_scope' ? 403 : 401;
    const error = appError(factory, fallback, reason, status);
    withHeaders(error, headers);
    return this.expose(error, reason);
  }

  /** Sets the challenge of a failed login on a response that goes on (an anonymous `@CurrentUser()`). */
  challenge(exchange: Exchange, reason: FailureReason): void {
    setChallenge(exchange, { 'WWW-Authenticate': this.challengeFor(reason, exchange) });
  }

  /**
   * `WWW-Authenticate`: bare `Bearer` when no token came (RFC 6750 §3.1), `insufficient_scope`
   * with the scopes the route needs, `invalid_token` when a token was refused; with DPoP on,
   * the `DPoP` challenge beside it (`challenges.ts`).
   */
  private challengeFor(reason: FailureReason, exchange: Exchange | undefined, scopes?: readonly string[]): string {
    const { code } = reason;
    const description = code === 'token_missing' ? undefined : this.describe(reason);
    const usedDpop = this.options.dpop !== undefined && sentAsDpop(exchange?.req.headers.authorization);
    return challengeOf(code, { dpop: this.options.dpop, usedDpop, scopes, description });
  }

  /** `error_description`, with `exposeErrorDescriptions` only. */
  private describe(reason: FailureReason): string | undefined {
    return this.options.exposeErrorDescriptions ? describeFailure(reason.code, reason.claim, reason.detail) : undefined;
  }

  /** Calls `onAuthFailure` with Node's request; it is told, never asked: its result and exceptions change nothing. */
  private report(reason: FailureReason, exchange: Exchange | undefined): void {
    // The only cost without subscribers, and on the failure path only.
    if (EVENTS.authFailure.hasSubscribers) EVENTS.authFailure.publish(failureEvent(reason, exchange));
    const { code } = reason;
    const hook = this.options.onAuthFailure;
    if (!hook) return;
    const complain = (error: unknown) =>
      this.options.logger.error('routing-controllers-login: onAuthFailure threw', error);
    try {
      Promise.resolve(hook(code, exchange?.req)).catch(complain);
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

/** `:auth-failure`: the code (and claim), the method and the path, never the query string (it may hold a token). */
function failureEvent({ code, claim }: FailureReason, exchange: Exchange | undefined): AuthFailureEvent {
  const event: AuthFailureEvent = claim === undefined ? { code } : { code, claim };
  const request = exchange?.req as (IncomingMessage & { originalUrl?: string }) | undefined;
  if (!request) return event;
  // express rewrites `url` below a mounted router; `originalUrl` is what the client asked for.
  const url = request.originalUrl ?? request.url ?? '';
  const query = url.search(/[?#]/);
  return { ...event, method: request.method, path: query < 0 ? url : url.slice(0, query) };
}

function setChallenge(exchange: Exchange | undefined, headers: Record<string, string>): void {
  const response = exchange?.res;
  if (!response || response.headersSent) return;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
}

/** The challenge in `error.headers`, unless the app's error brought headers of its own. */
function withHeaders(error: Error, headers: Record<string, string>): void {
  if (error instanceof LoginError) error.headers = headers;
  else stamp(error, 'headers', headers);
}

/**
 * The app's own error, if configured, else ours. An app error gets `code` (and `claim`)
 * and the status fields error handlers read (`httpCode`, `status`, `statusCode`,
 * `expose`; non-enumerable, so none reaches the response body) unless it has its own,
 * so routing-controllers, express and Koa answer 401/403 rather than 500.
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
  const own = error as Error & Partial<Record<'httpCode' | 'status' | 'statusCode', unknown>>;
  const code = [own.httpCode, own.status, own.statusCode].find((value) => typeof value === 'number') ?? status;
  for (const key of ['httpCode', 'status', 'statusCode'] as const) stamp(error, key, code);
  stamp(error, 'expose', (code as number) < 500);
  return error;
}

function stamp(error: Error, key: string, value: unknown): void {
  if ((error as unknown as Record<string, unknown>)[key] !== undefined) return;
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}
