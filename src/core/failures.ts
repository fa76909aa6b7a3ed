import type { IncomingMessage } from 'node:http';
import type { DpopSetup } from '../dpop/options';
import type { Exchange } from '../frameworks';
import { isPageNavigation, loginPageLocation } from '../http/login-page';
import type { FailureReason } from '../shared/checked';
import {
  BodyNotParsedError,
  bearerChallenge,
  CsrfError,
  describeFailure,
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginError,
  LoginRedirect,
} from '../shared/errors';
import { type AuthFailureEvent, EVENTS } from '../shared/events';
import type { LoginLogger } from '../shared/logger';
import { appError, withHeaders } from './app-error';
import { challengeOf, sentAsDpop } from './challenges';
import type { AuthFailureHook, ErrorFactory } from './settings';
import type { StepUp } from './step-up';

/** The options `Failures` reads. */
export interface FailureOptions {
  notAuthenticatedError: ErrorFactory | undefined;
  outOfScopeError: ErrorFactory | undefined;
  exposeErrorDescriptions: boolean;
  onAuthFailure: AuthFailureHook | undefined;
  /** Named in the CSRF error's message. */
  csrfValues: { cookieName: string };
  logger: LoginLogger;
  dpop: DpopSetup | undefined;
  loginPage: string | undefined;
}

/**
 * Builds the errors the library throws, puts their RFC 6750 challenge both on the
 * response and in the error's `headers` (for handlers that reset headers, like Koa's),
 * and reports each refusal once.
 */
export class Failures {
  constructor(private readonly options: FailureOptions) {}

  /**
   * A CSRF failure is its own 403 (an unparsed body its own 400); with `loginPage`, a browser's page request goes
   * there (303); every other failed login is the not-authenticated error (401).
   */
  login(reason: FailureReason, exchange?: Exchange): Error {
    this.report(reason, exchange);
    const { code } = reason;
    if (code === 'csrf_failed') return this.expose(new CsrfError(this.options.csrfValues.cookieName), reason);
    if (code === 'body_not_parsed') return this.expose(new BodyNotParsedError(), reason);
    const redirect = this.toLoginPage(reason, exchange);
    if (redirect) return this.expose(redirect, reason);
    const fallback = () => new InvalidCredentialsError(code);
    const header = this.challengeFor(reason, exchange);
    return this.refuse(reason, header, this.options.notAuthenticatedError, fallback, exchange);
  }

  /**
   * `loginPage`'s 303 for a browser's page request without a valid login (never for a login that is only not fresh,
   * nor for the login page itself), `Location` on the response too, for routing-controllers' default error handler.
   */
  private toLoginPage(reason: FailureReason, exchange: Exchange | undefined): LoginRedirect | undefined {
    const { loginPage } = this.options;
    if (loginPage === undefined || !exchange || reason.code === 'fresh_login_required') return undefined;
    if (!isPageNavigation(exchange.req)) return undefined;
    const location = loginPageLocation(loginPage, exchange.req);
    if (location === undefined) return undefined;
    const redirect = new LoginRedirect(location, reason.code);
    setChallenge(exchange, redirect.headers as Record<string, string>);
    return redirect;
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
