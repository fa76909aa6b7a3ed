import type { IncomingMessage } from 'node:http';

/**
 * Something remembered for one request, keyed by Node's request object (the same object
 * under express, Koa and plain Node) and forgotten with it. A `WeakMap`, not a property on
 * the request: measured end to end over HTTP, adding a symbol-keyed property to express's
 * request objects cost about 10 µs per request (it reshapes an object with many
 * properties), a `WeakMap` entry a fraction of that.
 */
export class RequestMemo<T> {
  private readonly entries = new WeakMap<IncomingMessage, T>();

  get(request: IncomingMessage): T | undefined {
    return this.entries.get(request);
  }

  set(request: IncomingMessage, value: T): void {
    this.entries.set(request, value);
  }
}
