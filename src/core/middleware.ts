import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Exchange, KoaContextLike } from '../frameworks/exchange';
import { KoaExchange } from '../frameworks/koa';
import { NodeExchange } from '../frameworks/node';
import { LoginRedirect } from '../shared/errors';
import type { Authenticator } from './authenticator';
import { checkLogin } from './checkers';
import type { LoginRequirementOptions } from './requirements';

/**
 * A middleware for express (4 and 5), plain Node `http` and Koa (2 and 3) alike: called
 * `(req, res, next)` it is an express/Node one, called `(ctx, next)` a Koa one.
 */
export interface LoginMiddleware {
  /** express or Node: errors go to `next(err)`, so the app's error handlers see them. */
  (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void;
  /** Koa: errors reject, so Koa's error handling (or the app's) answers with their `status` and `headers`. */
  (context: KoaContextLike, next: () => Promise<unknown>): Promise<void>;
}

/** One step of work on the exchange; it resolves to go on, or rejects with the answer's error. */
type Step = (exchange: Exchange) => Promise<void>;

/** Wraps `step` as a `LoginMiddleware`, telling the two calling conventions apart by the second argument. */
function middlewareOf(step: Step): LoginMiddleware {
  return ((first: unknown, second: unknown, third?: unknown): Promise<void> | undefined => {
    if (typeof second === 'function') {
      const next = second as () => Promise<unknown>;
      return step(new KoaExchange(first as KoaContextLike)).then(() => next() as Promise<void>);
    }
    const next = third as (error?: unknown) => void;
    const response = second as ServerResponse;
    const refuse = (error: unknown) => (redirects(error, response) ? response.end() : next(error));
    step(new NodeExchange(first as IncomingMessage, response)).then(() => next(), refuse);
    return undefined;
  }) as LoginMiddleware;
}

/**
 * `loginPage`'s 303 is answered here on express and Node (its `Location` is already on the response): express's final
 * handler, like most error handlers, answers any error status below 400 with 500. Koa's error handling answers it.
 */
function redirects(error: unknown, response: ServerResponse): boolean {
  if (!(error instanceof LoginRedirect) || response.headersSent) return false;
  response.statusCode = error.status;
  response.setHeader('Location', String(error.headers?.Location));
  return true;
}

/** `manager.middleware()`: the user (or `null`) in `req.user` / `ctx.state.user`; never refuses a request. */
export function userMiddleware<TUser>(auth: Authenticator<TUser>): LoginMiddleware {
  return middlewareOf(async (exchange) => {
    const login = await auth.loginFor(exchange, 'access');
    exchange.setUser(login.user ?? null);
  });
}

/** `manager.requireLogin()`: 401/403 with the challenge unless the login meets `requirement`; then sets the user. */
export function guardMiddleware<TUser>(
  auth: Authenticator<TUser>,
  requirement: LoginRequirementOptions,
): LoginMiddleware {
  return middlewareOf(async (exchange) => {
    const login = await checkLogin(auth, exchange, requirement);
    exchange.setUser(login.user);
  });
}
