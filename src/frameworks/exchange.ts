import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the core needs from one HTTP exchange, whatever the server: built by a thin
 * adapter per framework (`node.ts` for express and plain Node, `koa.ts` for Koa).
 * Not exported from the package.
 */
export interface Exchange {
  /** The Node request (`ctx.req` under Koa): the key of every per-request memo. */
  readonly req: IncomingMessage;
  /** The Node response (`ctx.res` under Koa), for headers and cookies; absent when only a request was given. */
  readonly res: ServerResponse | undefined;
  /** Whether the request came over HTTPS, as the framework judges it (express `trust proxy`, Koa `app.proxy`). */
  readonly secure: boolean;
  /**
   * The absolute URL the client sent the request to, as DPoP's `htu` names it: the scheme and
   * host as the framework judges them (`X-Forwarded-Proto` and `X-Forwarded-Host` only behind
   * express's `trust proxy` or Koa's `app.proxy`), then the path and query as received
   * (`originalUrl`, so a mounted router does not shorten it). Worked out on demand.
   */
  url(): string;
  /** A string field of a body the framework already parsed (express `req.body`, Koa `ctx.request.body`). */
  bodyField(name: string): string | undefined;
  /** Hands the logged-in user (or `null`) to the app: `req.user` on express and Node, `ctx.state.user` on Koa. */
  setUser(user: unknown): void;
}

/**
 * A Koa context, or its `ctx.request` / `ctx.response`: all three carry Node's `req` and
 * `res`. A structural type, so the package's types never need `koa`'s.
 */
export interface KoaLike {
  /** Node's request. */
  req: IncomingMessage;
  /** Node's response. */
  res: ServerResponse;
}

/** The parts of a Koa context the library reads, structurally (no `koa` types needed). */
export interface KoaContextLike extends KoaLike {
  /** Koa's per-request state: the middleware flavours put the user in `state.user`. */
  state: object;
  /** Koa's `ctx.secure` (HTTPS, honouring `app.proxy`). */
  secure: boolean;
  /** Koa's `ctx.protocol` (`X-Forwarded-Proto` with `app.proxy`). */
  protocol?: string;
  /** Koa's `ctx.host`, port included (`X-Forwarded-Host` with `app.proxy`). */
  host?: string;
  /** Koa's `ctx.originalUrl`: the path and query as received. */
  originalUrl?: string;
  /** Koa's request wrapper; its `body` when a body parser ran. */
  request: object;
}

/**
 * What the manager's methods take for "this request" or "this response": express's
 * `req`/`res`, Node's `IncomingMessage`/`ServerResponse`, or a Koa `ctx`
 * (or `ctx.request`/`ctx.response`).
 */
export type HttpExchange = IncomingMessage | ServerResponse | KoaLike;

/** `body[name]` when it is an own string property of a parsed body; never a prototype's. */
export function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
