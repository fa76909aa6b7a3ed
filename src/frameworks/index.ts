import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Action } from 'routing-controllers';
import type { Exchange } from './exchange';
import { KoaExchange, koaContextOf } from './koa';
import { NodeExchange } from './node';

export type { Exchange, HttpExchange } from './exchange';

/**
 * The exchange of a routing-controllers action: its Koa driver passes `context` (the
 * Koa ctx), its express driver Node's request and response. No detection beyond that,
 * so the per-request cost is one small object.
 */
export function exchangeFor(action: Action): Exchange {
  const context = action.context as unknown;
  if (context !== undefined) {
    const ctx = koaContextOf(context);
    if (ctx) return new KoaExchange(ctx);
  }
  return new NodeExchange(action.request, action.response);
}

/**
 * The exchange behind what an app handed a public method: express's or Node's request
 * or response (the other found through `req.res` / `res.req`), or a Koa context (or
 * `ctx.request`/`ctx.response`). `caller` names the method in the TypeError for anything else.
 */
export function exchangeOf(subject: unknown, response: unknown, caller: string): Exchange {
  const ctx = koaContextOf(subject) ?? koaContextOf(response);
  if (ctx) return new KoaExchange(ctx);
  if (isResponse(subject)) return new NodeExchange(subject.req, subject);
  if (isRequest(subject)) {
    const res = isResponse(response) ? response : (subject as { res?: unknown }).res;
    return new NodeExchange(subject, isResponse(res) ? res : undefined);
  }
  throw new TypeError(
    `${caller}: expected express's req or res, a Node IncomingMessage or ServerResponse, or a Koa ctx.`,
  );
}

/** As `exchangeOf`, for methods that write headers: a TypeError unless a response can be found. */
export function respondingExchangeOf(
  subject: unknown,
  response: unknown,
  caller: string,
): Exchange & { readonly res: ServerResponse } {
  const exchange = exchangeOf(subject, response, caller);
  if (!exchange.res) {
    throw new TypeError(`${caller}: no response to write to; pass the response (express's res, or Koa's ctx).`);
  }
  return exchange as Exchange & { readonly res: ServerResponse };
}

function isResponse(value: unknown): value is ServerResponse {
  return typeof value === 'object' && value !== null && typeof (value as ServerResponse).setHeader === 'function';
}

function isRequest(value: unknown): value is IncomingMessage {
  return typeof value === 'object' && value !== null && typeof (value as IncomingMessage).headers === 'object';
}
