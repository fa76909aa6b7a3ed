/** A value now, or a promise of it: a store in memory answers at once, a network store later. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** True for a promise or any other thenable. */
export function isThenable<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

/**
 * `next(value)` now when `value` is already there, after it settles when it is a promise:
 * the request path stays synchronous (no microtask, no promise) for as long as every
 * answer is (a cached token, an in-memory store, a synchronous user loader).
 */
export function andThen<T, R>(value: MaybePromise<T>, next: (settled: T) => MaybePromise<R>): R | Promise<R> {
  if (isThenable(value)) return Promise.resolve(value).then(next);
  const result = next(value);
  return isThenable(result) ? Promise.resolve(result) : result;
}
