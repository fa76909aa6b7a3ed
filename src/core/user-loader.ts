import { Container } from 'typedi';
import { LoginConfigurationError } from '../shared/errors';
import type { TokenPayload } from '../token/claims';

/** What a loader may return: the user, or nothing when there is no such user (sync or async). */
export type MaybeUser<TUser> = TUser | null | undefined | Promise<TUser | null | undefined>;

/** Loads the user behind a verified token; `sub` is the token's subject, `payload` all its claims. */
export type UserLoaderFunction<TUser = unknown> = (sub: string, payload: TokenPayload) => MaybeUser<TUser>;

/** A class: the typedi service that has a `@UserLoader()` method. */
// biome-ignore lint/complexity/noBannedTypes: any class will do; typedi resolves it.
export type UserLoaderClass = Function;

/** The `userLoader` option: a function, or a class with a `@UserLoader()` method. */
export type UserLoaderOption<TUser = unknown> = UserLoaderFunction<TUser> | UserLoaderClass;

interface LoaderMethod {
  service: UserLoaderClass;
  method: string | symbol;
}

const loaderMethods: LoaderMethod[] = [];

/** Records a `@UserLoader()` method (the decorator's work), for `resolveUserLoader` to find. */
export function registerLoaderMethod(service: UserLoaderClass, method: string | symbol): void {
  loaderMethods.push({ service, method });
}

const describe = ({ service, method }: LoaderMethod): string => `${service.name}.${String(method)}`;

function methodsOf(service: UserLoaderClass): LoaderMethod[] {
  return loaderMethods.filter((entry) => entry.service === service || service.prototype instanceof entry.service);
}

/** True when `option` is a class with a `@UserLoader()` method, rather than a loader function. */
export function isLoaderClass(option: UserLoaderOption<unknown>): option is UserLoaderClass {
  return methodsOf(option).length > 0;
}

/** True for `class X {}` syntax: a class passed without a `@UserLoader()` method is a mistake, not a function. */
export const isClassSyntax = (fn: unknown): boolean =>
  typeof fn === 'function' && /^class\b/.test(Function.prototype.toString.call(fn));

/**
 * The loader function an option (or, without one, the only `@UserLoader()` method
 * in the program) stands for. The service instance is fetched from typedi once, on
 * first use, so decorators and `Container.set` calls made after the manager count.
 */
export function resolveUserLoader<TUser>(option: UserLoaderOption<TUser> | undefined): UserLoaderFunction<TUser> {
  if (option !== undefined && !isLoaderClass(option)) return option as UserLoaderFunction<TUser>;
  const candidates = option === undefined ? loaderMethods : methodsOf(option);
  if (candidates.length === 0) {
    throw new LoginConfigurationError(
      'no user loader. Decorate one method of a @Service() class with @UserLoader(), ' +
        'or pass `userLoader` to new LoginManager(), or call manager.userLoader(fn).',
    );
  }
  if (candidates.length > 1) {
    throw new LoginConfigurationError(
      `several @UserLoader() methods: ${candidates.map(describe).join(', ')}. ` +
        'Pick one with the `userLoader` option: new LoginManager({ ..., userLoader: TheClass }).',
    );
  }
  const { service, method } = candidates[0] as LoaderMethod;
  let instance: Record<string | symbol, UserLoaderFunction<TUser>> | undefined;
  return (sub, payload) => {
    instance ??= serviceInstance(service) as Record<string | symbol, UserLoaderFunction<TUser>>;
    return (instance[method] as UserLoaderFunction<TUser>).call(instance, sub, payload);
  };
}

function serviceInstance(service: UserLoaderClass): unknown {
  if (!Container.has(service as never)) {
    throw new LoginConfigurationError(
      `${service.name} has a @UserLoader() method but is not a typedi service: add @Service() to the class ` +
        `(or Container.set(${service.name}, instance)).`,
    );
  }
  return Container.get(service as never);
}
