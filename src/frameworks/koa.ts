import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Exchange, type KoaContextLike, stringField } from './exchange';

/** A Koa (2 or 3) exchange: Node's objects are `ctx.req`/`ctx.res`; Koa's `ctx.set` is `res.setHeader` underneath. */
export class KoaExchange implements Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;

  constructor(private readonly ctx: KoaContextLike) {
    this.req = ctx.req;
    this.res = ctx.res;
  }

  get secure(): boolean {
    return this.ctx.secure === true;
  }

  url(): string {
    const { protocol, host, originalUrl } = this.ctx;
    return `${protocol}://${host}${originalUrl}`;
  }

  bodyField(name: string): string | undefined {
    return stringField((this.ctx.request as { body?: unknown }).body, name);
  }

  setUser(user: unknown): void {
    (this.ctx.state as { user?: unknown }).user = user;
  }
}

/**
 * The Koa context behind `value` when it is one: a context, or `ctx.request`/`ctx.response`
 * (which carry `.ctx`). Koa's three objects all hold both `req` and `res`; express's and
 * Node's hold at most one of them.
 */
export function koaContextOf(value: unknown): KoaContextLike | undefined {
  if (typeof value !== 'object' || value === null || !('req' in value) || !('res' in value)) return undefined;
  const ctx = 'ctx' in value ? value.ctx : value;
  return typeof ctx === 'object' && ctx !== null && 'state' in ctx ? (ctx as KoaContextLike) : undefined;
}
