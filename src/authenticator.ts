import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveUserLoader, type UserLoaderFunction } from './decorators/user-loader';
import {
  bearerChallenge,
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginError,
  type LoginErrorCode,
} from './errors';
import { extractToken, type TokenSource } from './extraction';
import type { ErrorFactory, ResolvedOptions } from './options';
import type { Checked, TokenPayload } from './token/claims';
import { loadSigningKey, type SigningKey } from './token/keys';
import { verifyToken } from './token/verify';

/** A request's login: the user, or why there is none. Loader exceptions reject instead. */
export type RequestLogin<TUser> =
  | { ok: true; user: TUser; payload: TokenPayload; source: TokenSource }
  | { ok: false; user?: undefined; code: LoginErrorCode };

/**
 * The request-time core of a manager: verifies, loads, remembers the result per
 * request and builds the errors. Not exported from the package.
 */
export class Authenticator<TUser> {
  readonly key: SigningKey;
  private loader: UserLoaderFunction<TUser> | undefined;
  private readonly logins = new WeakMap<IncomingMessage, Promise<RequestLogin<TUser>>>();

  constructor(readonly options: ResolvedOptions<TUser>) {
    this.key = loadSigningKey(options.secret, options.algorithm);
    // A loader class is resolved now, so a bad one fails at construction;
    // the default (the program's one @UserLoader) waits until first use.
    if (options.userLoader !== undefined) this.loader = resolveUserLoader(options.userLoader);
  }

  /** Seconds since the epoch, from the configured clock. */
  now(): number {
    return Math.floor(this.options.clock() / 1000);
  }

  setLoader(loader: UserLoaderFunction<TUser>): void {
    this.loader = loader;
  }

  verify(token: string): Checked<TokenPayload> {
    return verifyToken(token, { key: this.key, leeway: 0 }, this.now());
  }

  /** Calls the loader; its own exceptions propagate (an outage is not an anonymous user). */
  async load(payload: TokenPayload): Promise<TUser | undefined> {
    this.loader ??= resolveUserLoader<TUser>(undefined);
    return (await this.loader(payload.sub, payload)) ?? undefined;
  }

  /** The request's login, worked out once per request however many decorators ask. */
  loginFor(request: IncomingMessage): Promise<RequestLogin<TUser>> {
    let login = this.logins.get(request);
    if (!login) {
      login = this.authenticate(request);
      this.logins.set(request, login);
    }
    return login;
  }

  private async authenticate(request: IncomingMessage): Promise<RequestLogin<TUser>> {
    const found = extractToken(request, this.options);
    if (!found) return { ok: false, code: 'token_missing' };
    const checked = this.verify(found.token);
    if (!checked.ok) return { ok: false, code: checked.code };
    const user = await this.load(checked.value);
    if (user === undefined) return { ok: false, code: 'user_not_found' };
    return { ok: true, user, payload: checked.value, source: found.source };
  }

  /** The not-authenticated error for `code`; with a response, also its RFC 6750 challenge. */
  notAuthenticated(code: LoginErrorCode, response?: ServerResponse): Error {
    if (response) challenge(response, code);
    return buildError(this.options.notAuthenticatedError, () => new InvalidCredentialsError(code), code, 401);
  }

  outOfScope(scopes: readonly string[], response?: ServerResponse): Error {
    if (response && !response.headersSent) {
      response.setHeader('WWW-Authenticate', bearerChallenge({ error: 'insufficient_scope', scopes }));
    }
    const code = 'insufficient_scope';
    return buildError(this.options.outOfScopeError, () => new InsufficientScopeError(code), code, 403);
  }
}

/** Sets `WWW-Authenticate`: bare `Bearer` when no token came, `invalid_token` when one was refused. */
export function challenge(response: ServerResponse, code: LoginErrorCode): void {
  if (response.headersSent) return;
  const error = code === 'token_missing' ? undefined : 'invalid_token';
  response.setHeader('WWW-Authenticate', bearerChallenge(error ? { error } : {}));
}

/**
 * The app's own error class, if configured, else ours. An app error gets `code` and an
 * `httpCode` (non-enumerable, so neither reaches the response body) unless it has its
 * own, so routing-controllers answers 401/403 rather than 500.
 */
function buildError(
  factory: ErrorFactory | undefined,
  fallback: () => LoginError,
  code: LoginErrorCode,
  httpCode: number,
) {
  if (!factory) return fallback();
  const error = factory();
  if (error instanceof LoginError) {
    error.code = code;
    return error;
  }
  stamp(error, 'code', code);
  stamp(error, 'httpCode', httpCode);
  return error;
}

function stamp(error: Error, key: string, value: unknown): void {
  if ((error as unknown as Record<string, unknown>)[key] !== undefined) return;
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}
