import { HttpError } from 'routing-controllers';
import { LoginConfigurationError, UserLoaderError } from '../shared/errors';
import type { LoginLogger } from '../shared/logger';
import { isThenable, type MaybePromise } from '../shared/maybe-promise';
import { OutageLog } from '../shared/outage';
import type { TokenPayload } from '../token/claims';
import type { MaybeUser, UserLoaderFunction } from './user-loader';

/**
 * Calls the user loader so that what it throws never reaches a response: an exception (or a
 * rejection) becomes a `UserLoaderError` (500, `user_loader_failed`, a fixed message) with the
 * original as its `cause`, reported to `logger` once when the loader starts failing and once
 * when it works again, however many requests fail in between (a database that is down fails
 * every request). Passed on as they are: the library's configuration errors (their message is
 * the fix, and names no secret), and a routing-controllers `HttpError` below 500 that the
 * loader threw on purpose as the answer (`ForbiddenError('Account locked')`). Synchronous while the loader is.
 */
export class LoaderGuard {
  private readonly outage: OutageLog;

  constructor(logger: LoginLogger) {
    this.outage = new OutageLog(logger, 'user loader');
  }

  load<TUser>(loader: UserLoaderFunction<TUser>, payload: TokenPayload): MaybePromise<TUser | null | undefined> {
    let loaded: MaybeUser<TUser>;
    try {
      loaded = loader(payload.sub, payload);
    } catch (error) {
      throw this.failed(error);
    }
    if (!isThenable(loaded)) return this.worked(loaded);
    return Promise.resolve(loaded).then(
      (user) => this.worked(user),
      (error: unknown) => {
        throw this.failed(error);
      },
    );
  }

  private worked<T>(user: T): T {
    this.outage.recovered();
    return user;
  }

  private failed(error: unknown): unknown {
    if (error instanceof LoginConfigurationError) return error;
    if (error instanceof HttpError && error.httpCode < 500) return error;
    this.outage.failed(error, 'requests with a valid token answer 500 (user_loader_failed) until it works again');
    return new UserLoaderError(error);
  }
}
