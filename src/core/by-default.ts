import { getMetadataArgsStorage } from 'routing-controllers';
import type * as Directories from 'routing-controllers/types/util/importClassesFromDirectories';
import { LoginConfigurationError } from '../shared/errors';
import { asArray, authorizedHandlers, LoginMark, type RouteRequirement, routeRequirement } from './requirements';

// biome-ignore lint/complexity/noBannedTypes: routing-controllers keys metadata by class.
type Controller = Function;

// routing-controllers' own loader (its index does not export it), so a directory gives the very classes it serves.
const { importClassesFromDirectories } =
  require('routing-controllers/cjs/util/importClassesFromDirectories') as typeof Directories;

/** `@Public()` marks: controller → its public methods, `undefined` for the whole class. */
const publicMarks = new WeakMap<Controller, Set<string | undefined>>();

/** Records `@Public()` on a class (`method` undefined) or one of its methods. */
export function markPublic(controller: Controller, method: string | undefined): void {
  const marks = publicMarks.get(controller) ?? new Set();
  marks.add(method);
  publicMarks.set(controller, marks);
}

/**
 * Where `@Public()` opens a route: on the method (`'method'`), on its class (`'class'`), or nowhere.
 * `declaring` is the class that declares the method (a base class, for an inherited route),
 * `controller` the one routing-controllers serves it from.
 */
export function publicMark(
  controller: Controller,
  method: string,
  declaring: Controller = controller,
): 'method' | 'class' | undefined {
  const marks = [controller, declaring].map((target) => publicMarks.get(target));
  if (marks.some((set) => set?.has(method))) return 'method';
  return marks.some((set) => set?.has(undefined)) ? 'class' : undefined;
}

/**
 * What the checkers enforce on the route `method` of `controller` (on the class alone, for `method`
 * undefined), as routing-controllers builds it: the first `authorized` entry of the class and of the
 * method, their values concatenated. `undefined` when there is none: the checker does not run.
 */
export function ownRequirement(controller: Controller, method?: string): RouteRequirement | undefined {
  const entries = authorizedHandlers().filter((handler) => handler.target === controller);
  const onClass = entries.find((handler) => !handler.method);
  const onMethod = method === undefined ? undefined : entries.find((handler) => handler.method === method);
  if (!onClass && !onMethod) return undefined;
  return routeRequirement([...asArray(onClass?.value || []), ...asArray(onMethod?.value || [])]);
}

/** The routes of `controller` (inherited ones too, as routing-controllers finds them): method → declaring class. */
export function routesOf(controller: Controller): Map<string, Controller> {
  const routes = new Map<string, Controller>();
  const { actions } = getMetadataArgsStorage();
  for (let target = controller; target; target = Object.getPrototypeOf(target)) {
    for (const action of actions) {
      if (action.target === target && !routes.has(action.method)) routes.set(action.method, target);
    }
  }
  return routes;
}

/**
 * `loggedInByDefault`: every route of `controllers` that is not `@Public()` and asks for no login
 * gets a `by-default` mark in its `@Authorized` metadata, so routing-controllers runs the checker for it,
 * which then requires a login (for a manager with `loggedInByDefault` only). Runs when
 * routing-controllers builds an app, once its controllers are imported; marking again changes nothing.
 * `@Public()` on a class leaves a method's own `@LoggedIn()` in force; `@Public()` where the same
 * level (or, for a method, its class) asks for a login is a contradiction, refused.
 */
export function protectByDefault(controllers: readonly Controller[]): void {
  for (const controller of controllers) {
    for (const [method, declaring] of routesOf(controller)) {
      const requirement = ownRequirement(controller, method);
      const open = publicMark(controller, method, declaring);
      const contradicted = open === 'method' ? requirement : open === 'class' ? ownRequirement(controller) : undefined;
      if (contradicted?.loginRequired) throw publicAndLoggedIn(controller, method);
      if (!open && !requirement?.loginRequired && !requirement?.byDefault) {
        markDefault(controller, method);
      }
    }
  }
}

/** The mark joins the method's first `authorized` entry, the one routing-controllers reads, or starts it. */
function markDefault(controller: Controller, method: string): void {
  const mark = new LoginMark(controller, method, 'by-default');
  const existing = authorizedHandlers().find((h) => h.target === controller && h.method === method);
  if (existing) existing.value = [...asArray(existing.value), mark];
  else
    getMetadataArgsStorage().responseHandlers.push({ type: 'authorized', target: controller, method, value: [mark] });
}

/**
 * The controllers an app with these routing-controllers `controllers` serves: the classes listed and
 * those of the directories listed (imported as routing-controllers imports them), or, with no list,
 * every controller defined so far.
 */
export function appControllers(listed: readonly unknown[] | undefined): Controller[] {
  if (!listed?.length) return getMetadataArgsStorage().controllers.map((controller) => controller.target);
  const classes = listed.filter((entry): entry is Controller => typeof entry === 'function');
  const directories = listed.filter((entry): entry is string => typeof entry === 'string');
  return directories.length ? [...classes, ...importClassesFromDirectories(directories)] : classes;
}

function publicAndLoggedIn(controller: Controller, method: string): LoginConfigurationError {
  return new LoginConfigurationError(
    `${controller.name}.${method} is @Public() and also asks for a login (@LoggedIn(), @User() or @Authorized() ` +
      'on the same method or class, or on its class). Remove one of them: under loggedInByDefault a route without ' +
      '@Public() needs a login anyway, and @LoggedIn() on a method of a @Public() class protects that method.',
  );
}
