import { HttpError } from 'routing-controllers';
import { type LoginErrorCode, PUBLIC_CODES } from './error-codes';

export { describeFailure, type LoginErrorCode } from './error-codes';

/** The JSON body of a refused request (`LoginError.toJSON`): never the token, nor a private reason. */
export interface LoginErrorBody {
  /** The error class's name, e.g. `'InvalidCredentialsError'`. */
  name: string;
  /** A fixed sentence, e.g. `'Invalid credentials'`. */
  message: string;
  /** The reason, for the codes a client can act on, or all of them with `exposeErrorDescriptions`. */
  code?: LoginErrorCode;
  /** With `claim_invalid` and `exposeErrorDescriptions`: which claim. */
  claim?: string;
}

/**
 * Base class of every error the library throws at request time. Besides
 * routing-controllers' `httpCode` it carries the http-errors fields (`status`,
 * `statusCode`, `expose`, `headers`) that express's final handler, Koa's error handling
 * and most error middlewares read, so a refusal answers 401/403/503 on any server.
 */
export class LoginError extends HttpError {
  /** Machine-readable reason; see {@link LoginErrorCode}. */
  code: LoginErrorCode;
  /** With `claim_invalid`: which claim. */
  claim?: string;
  /** The HTTP status, as express and http-errors name it; equal to `httpCode`. */
  status: number;
  /** The HTTP status, as Node names it; equal to `httpCode`. */
  statusCode: number;
  /** `true` for 4xx: the message is safe to show (the http-errors convention Koa follows). */
  expose: boolean;
  /**
   * Headers the answer must carry: the RFC 6750 `WWW-Authenticate` challenge of a 401 or
   * 403. Koa's error handling (and express's final handler) clears response headers and
   * sets these.
   */
  declare headers?: Record<string, string>;
  /** @internal set by the manager when `exposeErrorDescriptions` is on */
  declare exposed?: boolean;

  constructor(httpCode: number, message: string, code: LoginErrorCode) {
    super(httpCode, message);
    // HttpError's constructor pins the prototype to HttpError; restore the real one.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = new.target.name;
    this.code = code;
    this.status = httpCode;
    this.statusCode = httpCode;
    this.expose = httpCode < 500;
    // A refusal is not a bug: its trace would only say where in this library it was built,
    // and handlers that print `err.stack` outside production (express's final handler,
    // routing-controllers' text errors) would put it in the response body.
    Object.defineProperty(this, 'stack', {
      value: `${this.name}: ${message}`,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /** The response body routing-controllers sends: never the token; reasons only if public or exposed. */
  toJSON(): LoginErrorBody {
    const body = { name: this.name, message: this.message };
    if (!this.exposed) return PUBLIC_CODES.has(this.code) ? { ...body, code: this.code } : body;
    return this.claim === undefined ? { ...body, code: this.code } : { ...body, code: this.code, claim: this.claim };
  }
}

/**
 * 401: no token, or a token that was refused. Thrown unless `notAuthenticatedError` says otherwise.
 * Built by the app itself (`next(new InvalidCredentialsError())`), it carries the RFC 6750 challenge too.
 */
export class InvalidCredentialsError extends LoginError {
  constructor(code: LoginErrorCode = 'credentials_invalid') {
    super(401, 'Invalid credentials', code);
    const plain = code === 'token_missing' || code === 'credentials_invalid';
    this.headers = { 'WWW-Authenticate': bearerChallenge(plain ? {} : { error: 'invalid_token' }) };
  }
}

/**
 * 303 to the login page (`loginPage`): a browser asked for a page without a valid login. `headers.Location` is the
 * login page with `next`, the path it asked for; `code` says why the login failed. Not an error of the client's.
 */
export class LoginRedirect extends LoginError {
  constructor(location: string, code: LoginErrorCode = 'token_missing') {
    super(303, 'Log in first', code);
    this.headers = { Location: location };
  }
}

/** 403: a valid login that lacks a required scope. Thrown unless `outOfScopeError` says otherwise. */
export class InsufficientScopeError extends LoginError {
  constructor(code: LoginErrorCode = 'insufficient_scope') {
    super(403, 'Insufficient scope', code);
    this.headers = { 'WWW-Authenticate': bearerChallenge({ error: 'insufficient_scope' }) };
  }
}

/**
 * 403: a cookie-authenticated POST/PUT/PATCH/DELETE (or one on a `@RequireCsrf()` route)
 * without the right value in the `X-CSRF-Token` header or the `_csrf` form field.
 */
export class CsrfError extends LoginError {
  /** `cookieName`: the manager's `csrfCookieName`, named in the message. */
  constructor(cookieName = 'csrf-token') {
    super(
      403,
      `CSRF token missing or invalid: send the value of the ${cookieName} cookie in the X-CSRF-Token header or the _csrf form field`,
      'csrf_failed',
    );
  }
}

/**
 * 400: a write to a `@RequireCsrf()` route (the login form's POST) with a body that no parser
 * read (multipart without multer, JSON where only forms are parsed) and no `X-CSRF-Token`
 * header: its `_csrf` field could not be seen, which is the app's setup, not a forgery.
 */
export class BodyNotParsedError extends LoginError {
  constructor() {
    super(
      400,
      'The request body was not parsed, so its _csrf field could not be read: parse its content type before the routes ' +
        '(express.urlencoded(), express.json(), multer().none() for multipart; @koa/multer on Koa), ' +
        'or send the X-CSRF-Token header',
      'body_not_parsed',
    );
  }
}

/** 503: the revocation store did not answer in time, so no token can be trusted (fail closed). */
export class LoginStoreUnavailableError extends LoginError {
  constructor() {
    super(503, 'Login service unavailable', 'store_unavailable');
  }
}

/** 503: no key could be had from a remote key source (JWK Set URL or discovery), so no token can be verified (fail closed). */
export class KeySourceUnavailableError extends LoginError {
  constructor() {
    super(503, 'Login service unavailable', 'key_source_unavailable');
  }
}

/**
 * 500: the user loader threw (a database down, a bug). Its message is fixed, so nothing the
 * loader's error says (a path, a connection string, a password) reaches a response; the
 * original is `cause` (not enumerable, so no error handler serialises it) and went to `logger`.
 */
export class UserLoaderError extends LoginError {
  /** What the loader threw. */
  declare readonly cause: unknown;

  constructor(cause?: unknown) {
    super(500, 'The user could not be loaded', 'user_loader_failed');
    Object.defineProperty(this, 'cause', { value: cause, writable: false, configurable: true, enumerable: false });
  }
}

/**
 * The library is set up wrongly: thrown at construction (or, for what can only be
 * known later, such as a missing user loader, at first use) with the fix in its message.
 */
export class LoginConfigurationError extends Error {
  constructor(message: string) {
    super(`routing-controllers-login: ${message}`);
    this.name = 'LoginConfigurationError';
  }
}

/** What a rejected request's `WWW-Authenticate` header says (RFC 6750 §3, RFC 9470 §3). */
export interface BearerChallenge {
  /** The error code; without one the challenge is a bare `Bearer` (no token was sent). */
  error?: 'invalid_token' | 'insufficient_scope' | 'insufficient_user_authentication';
  /** With `insufficient_scope`: the scopes the route requires, sent as `scope="..."`. */
  scopes?: readonly string[];
  /** `error_description`: our own sentences only (see `describeFailure`). */
  description?: string;
  /** With `insufficient_user_authentication`: the `acr` values the route accepts, sent as `acr_values="..."`. */
  acrValues?: readonly string[];
  /** With `insufficient_user_authentication`: the oldest login (seconds) the route accepts, sent as `max_age=N`. */
  maxAge?: number;
}

/** Formats `WWW-Authenticate: Bearer ...`; scopes, acr values and descriptions are pre-validated, so no quoting is needed. */
export function bearerChallenge({ error, scopes, description, acrValues, maxAge }: BearerChallenge = {}): string {
  if (!error) return 'Bearer';
  const described = description ? `, error_description="${description}"` : '';
  const scope = scopes?.length ? `, scope="${scopes.join(' ')}"` : '';
  const acr = acrValues?.length ? `, acr_values="${acrValues.join(' ')}"` : '';
  const age = maxAge === undefined ? '' : `, max_age=${maxAge}`;
  return `Bearer error="${error}"${described}${scope}${acr}${age}`;
}
