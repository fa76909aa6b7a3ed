import { type ClassOrMethodDecorator, markDecorator } from './mark';

/**
 * Requires the CSRF value on a route's POST, PUT, PATCH and DELETE requests even when
 * nobody is logged in: the login form's POST, against login CSRF (a cross-site page
 * logging the victim into the attacker's account). The value sent in `X-CSRF-Token` or
 * the `_csrf` form field must be one the server made: before login, one equal to the CSRF
 * cookie, which `manager.csrfValue(req, res)` sets when it renders the form; with a login
 * cookie, one made for that login. Otherwise 403 `csrf_failed`.
 * Needs no login; combine with `@LoggedIn()` for routes that need both.
 */
export function RequireCsrf(): ClassOrMethodDecorator {
  return markDecorator('@RequireCsrf()', 'csrf');
}
