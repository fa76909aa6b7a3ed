// Small structural types of our own for the OpenAPI 3 objects this library writes, so the
// published types never name openapi3-ts or routing-controllers-openapi (optional packages).

/** The OAuth2 password flow (RFC 6749 §4.3), as an OpenAPI 3 `OAuthFlowObject`. */
export interface OpenApiPasswordFlow {
  tokenUrl: string;
  refreshUrl?: string;
  /** Scope name → description. */
  scopes: Record<string, string>;
}

/** The security schemes this library describes: OAuth2 password, HTTP bearer, API key in a cookie. */
export type OpenApiSecurityScheme =
  | { type: 'oauth2'; description?: string; flows: { password: OpenApiPasswordFlow } }
  | { type: 'http'; scheme: 'bearer'; bearerFormat?: string; description?: string }
  | { type: 'apiKey'; in: 'cookie'; name: string; description?: string };

/**
 * One way to satisfy an operation: scheme name → scopes (empty for non-OAuth2 schemes).
 * An operation's `security` lists the alternatives; `{}` among them makes the login optional.
 */
export type OpenApiSecurityRequirement = Record<string, string[]>;

/**
 * What `withLoginSecurity` needs of an OpenAPI 3 document, e.g. what routing-controllers-openapi's
 * `routingControllersToSpec` returns. Anything else in it is kept as it is.
 */
export interface OpenApiDocument {
  openapi: string;
  paths?: object;
  components?: object;
}
