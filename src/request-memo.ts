import type { IncomingMessage } from 'node:http';

/**
 * Something remembered for one request, kept on Node's request object under a symbol of
 * its own (invisible to `Object.keys`, `for...in` and `JSON.stringify`). A `WeakMap` keyed
 * by requests would do the same at about a microsecond per request: every entry is an
 * ephemeron the garbage collector has to trace, while a symbol property costs nanoseconds.
 */
export class RequestMemo<T> {
  private readonly key = Symbol('routing-controllers-login');

  get(request: IncomingMessage): T | undefined {
    return (request as unknown as Record<symbol, T | undefined>)[this.key];
  }

  set(request: IncomingMessage, value: T): void {
    (request as unknown as Record<symbol, T>)[this.key] = value;
  }
}
