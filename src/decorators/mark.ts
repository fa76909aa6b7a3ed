import { getMetadataArgsStorage } from 'routing-controllers';
import { asArray, authorizedHandlers, isMark, LoginMark, type MarkKind } from '../core/requirements';
import { explainForgottenLoginConfig } from './forgotten-config';

/** A decorator for a controller class (all its routes) or one route method. */
export type ClassOrMethodDecorator = (
  target: object,
  method?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

/**
 * A decorator for a class (every route of it) or a string-named route method that adds
 * one mark: the body of `@LoggedIn()` and `@RequireCsrf()`. `name` is the decorator's, for the error.
 */
export function markDecorator(
  name: string,
  kind: MarkKind,
  scopes?: readonly string[],
  flags?: LoginMark['flags'],
): ClassOrMethodDecorator {
  return (target, method) => {
    if (typeof method === 'symbol') throw new TypeError(`${name} goes on a class or a string-named method.`);
    const controller = typeof target === 'function' ? target : target.constructor;
    markRoute(new LoginMark(controller, method, kind, scopes, flags));
  };
}

/**
 * Adds `mark` to the `@Authorized` metadata of a class or method. routing-controllers
 * reads only the first such entry per class or method, so a mark joins an existing
 * entry instead of queueing behind it (where it would be silently ignored).
 */
export function markRoute(mark: LoginMark): void {
  explainForgottenLoginConfig(mark.target);
  const existing = authorizedHandlers().find((h) => h.target === mark.target && h.method === mark.method);
  if (!existing) {
    getMetadataArgsStorage().responseHandlers.push({
      type: 'authorized',
      target: mark.target,
      method: mark.method as string,
      value: [mark],
    });
    return;
  }
  const values = asArray(existing.value);
  // A plain @Authorized entry means "login required"; keep saying so once marks join it.
  const keepRequired = values.some(isMark) ? [] : [new LoginMark(mark.target, mark.method, 'logged-in')];
  existing.value = [...values, ...keepRequired, mark];
}
