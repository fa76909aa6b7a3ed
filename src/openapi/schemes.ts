import type { LoginManager } from '../login-manager';
import { dpopScheme } from './dpop';
import type { OpenApiSecurityScheme } from './types';

/** What `loginSecuritySchemes` and `withLoginSecurity` take besides the manager. */
export interface LoginSecurityOptions {
  /**
   * The OAuth2 `refreshUrl` of the password flow: only where the app serves the OAuth2 refresh grant
   * (`grant_type=refresh_token` in a form). A `@LoggedIn({ refresh: true })` route, which takes the
   * refresh token as a bearer token, is described by the `refreshToken` scheme instead.
   */
  refreshUrl?: string;
}

/** The names the schemes get in `components.securitySchemes`. */
export const SCHEME_NAMES = {
  oauth2: 'oauth2',
  bearer: 'bearer',
  dpop: 'dpop',
  cookie: 'cookie',
  refresh: 'refreshToken',
} as const;

type Schemes = Partial<Record<(typeof SCHEME_NAMES)[keyof typeof SCHEME_NAMES], OpenApiSecurityScheme>>;

/**
 * OpenAPI 3 `components.securitySchemes` for how `manager` takes tokens: `oauth2` (the password flow at
 * `tokenUrl`, with the manager's `scopes`) when it issues tokens, `bearer` when it reads the
 * `Authorization` header (unless DPoP is required), `dpop` (`Authorization: DPoP` with a `DPoP` proof,
 * RFC 9449) when `dpop` is on, `cookie` (an API key named `cookieName`) when it reads the cookie.
 * `withLoginSecurity` adds these, and `refreshToken` when a route takes refresh tokens.
 */
export function loginSecuritySchemes(
  manager: LoginManager<unknown>,
  options: LoginSecurityOptions = {},
): Record<string, OpenApiSecurityScheme> {
  const { tokenUrl, scopes, useHeader, useCookie, cookieName, csrf, keys, dpop } = manager.auth.options;
  const { refreshUrl } = checkOptions(options);
  const schemes: Schemes = {};
  // A verify-only manager (public keys only) cannot issue the tokens its tokenUrl would hand out.
  if (keys.signer?.signKey) {
    const password = { tokenUrl, ...(refreshUrl === undefined ? {} : { refreshUrl }), scopes: { ...scopes } };
    schemes.oauth2 = { type: 'oauth2', description: 'Log in with a username and password.', flows: { password } };
  }
  // With DPoP required a bearer token is always refused: only the DPoP scheme opens a route.
  if (useHeader && !dpop?.required) {
    schemes.bearer = {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token, as `Authorization: Bearer <token>`.',
    };
  }
  if (dpop) schemes.dpop = dpopScheme(dpop);
  if (useCookie) {
    schemes.cookie = {
      type: 'apiKey',
      in: 'cookie',
      name: cookieName,
      description: `The access token cookie set at login${csrf ? '; writes also need the `X-CSRF-Token` header' : ''}.`,
    };
  }
  return schemes;
}

/** The scheme for `@LoggedIn({ refresh: true })` routes: a refresh token as a bearer token. */
export const REFRESH_SCHEME: OpenApiSecurityScheme = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'A refresh token, as `Authorization: Bearer <refresh token>` (refresh routes only).',
};

function checkOptions(options: LoginSecurityOptions): LoginSecurityOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('OpenAPI options are an object.');
  const { refreshUrl } = options;
  if (refreshUrl !== undefined && (typeof refreshUrl !== 'string' || refreshUrl === '')) {
    throw new TypeError('`refreshUrl` is the URL of the OAuth2 refresh grant, a non-empty string.');
  }
  return options;
}
