import { registerLoaderMethod } from '../core/user-loader';

/**
 * Marks the method that loads the user behind a token: `(sub, payload) => user | null | undefined`,
 * sync or async. Put it on a typedi `@Service()` class, so the method gets its
 * dependencies (a repository, a database) by injection.
 */
export function UserLoader(): MethodDecorator {
  return (prototype, method) => {
    if (typeof prototype === 'function') {
      throw new TypeError(`@UserLoader() goes on an instance method; ${prototype.name}.${String(method)} is static.`);
    }
    registerLoaderMethod(prototype.constructor, method);
  };
}
