import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { HttpError, useContainer, useExpressServer } from 'routing-controllers';
import { LoginError, LoginManager, LoginThrottle, loginConfig } from 'routing-controllers-login';
import { Container } from 'typedi';
import { AuthController, MeController, PagesController } from './controllers';
import { DevicesController } from './devices';
import { serveApiDocs } from './openapi';
import { failurePage } from './pages';
import type { DemoUser } from './users';

/**
 * Every error keeps its own status (401 with its challenge, 403, 400, 429..., and `loginPage`'s 303 to the login
 * form, with its Location), and only a real failure is a 500.
 */
export const errorHandler: ErrorRequestHandler = (error, _request, response, next) => {
  if (response.headersSent) return next(error);
  const status = statusOf(error);
  if (status >= 500) console.error(error); // a bug or an outage: for the log, not for the client
  // A login error's WWW-Authenticate challenge or Location (the library's own errors already set theirs).
  if (error instanceof LoginError) response.set(error.headers ?? {});
  response.status(status).json(errorBody(error, status));
};

/** The library's errors' own status; routing-controllers' `httpCode`, else the `status` of http-errors; else 500. */
function statusOf(error: { httpCode?: unknown; status?: unknown } | undefined): number {
  if (error instanceof LoginError) return error.status; // 303 for a browser sent to the login page
  const status = Number(error?.httpCode ?? error?.status);
  return Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
}

/**
 * What a client may see of an error: the library's errors say it themselves, routing-controllers'
 * 4xx (a validation error and its fields) their message. Any other message may quote a secret (a
 * database URL) or the request (JSON.parse quotes the body it choked on, password included), so
 * it answers with the status text alone.
 */
function errorBody(error: unknown, status: number): object {
  if (error instanceof LoginError) return error.toJSON();
  if (error instanceof HttpError && status < 500) {
    return { name: error.name, message: error.message, errors: (error as { errors?: unknown }).errors };
  }
  return { message: STATUS_CODES[status] };
}

/**
 * A browser's form post that failed (a forged or out-of-date logout, say) gets a page that
 * says so and that nothing changed, instead of JSON; everything else goes on to `errorHandler`.
 */
export const formFailurePage: ErrorRequestHandler = (error, request, response, next) => {
  const status = statusOf(error);
  const fromForm = request.method === 'POST' && request.accepts(['json', 'html']) === 'html';
  if (response.headersSent || !fromForm || status >= 500) return next(error);
  const title = request.path.startsWith('/logout')
    ? 'Not logged out'
    : request.path === '/login'
      ? 'Not logged in'
      : 'Not done';
  const home =
    title === 'Not logged out'
      ? { href: '/', text: 'Back to your page' }
      : { href: '/login', text: 'To the login page' };
  response
    .status(status)
    .type('html')
    .send(failurePage(title, failureMessage(error, status), home));
};

function failureMessage(error: { code?: unknown }, status: number): string {
  if (error.code === 'csrf_failed') {
    return 'This form could not be verified: it was not sent from this site, or the page is out of date. Nothing changed; reload the page and try again.';
  }
  if (status === 401) return 'You are not logged in (any more).';
  return status === 400 ? 'The form was not filled in correctly.' : (STATUS_CODES[status] ?? 'The request failed.');
}

export function createDemoApp(secret = process.env.SECRET ?? randomBytes(32).toString('base64url')): Express {
  useContainer(Container);
  const manager = new LoginManager<DemoUser>({
    secret,
    tokenUrl: '/auth/token',
    useCookie: true,
    refreshCookieWithin: '5m',
    loginPage: '/login', // a browser without a login goes there, and comes back (nextPath); API clients get the 401
    scopes: { 'items:read': 'Read items' },
    // Authorization: DPoP <token> with a DPoP proof (RFC 9449) beside bearer tokens and the cookie login.
    dpop: 'allowed',
  });
  Container.set(LoginManager, manager);
  // Both password endpoints (/auth/token and the login form) share one count per account and address.
  Container.set(LoginThrottle, new LoginThrottle());

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  serveApiDocs(app, manager);
  useExpressServer(
    app,
    loginConfig({
      controllers: [AuthController, MeController, PagesController, DevicesController],
      defaultErrorHandler: false,
    }),
  );
  app.use(formFailurePage, errorHandler);
  return app;
}
