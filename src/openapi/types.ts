// Small structural types of our own for the OpenAPI 3 objects this library writes, so the
// published types never name openapi3-ts or routing-controllers-openapi (optional packages).

/** The OAuth2 password flow (RFC 6749 §4.3), as an OpenAPI 3 `OAuthFlowObject`. */
export interface OpenApiPasswordFlow {
  /** Where the client posts the username and password: the manager's `tokenUrl`. */
  tokenUrl: string;
  /** Where the client posts a refresh token (`grant_type=refresh_token`), if the app serves that grant. */
  refreshUrl?: string;
  /** Scope name → description. */
  scopes: Record<string, string>;
}

/** The security schemes this library describes: OAuth2 password, HTTP bearer or DPoP, API key in a cookie. */
export type OpenApiSecurityScheme =
  | {
      /** OAuth2: Swagger UI's Authorize dialog posts the password form to the flow's `tokenUrl`. */
      type: 'oauth2';
      /** Shown beside the scheme. */
      description?: string;
      /** The one flow described. */
      flows: {
        /** The OAuth2 password flow. */
        password: OpenApiPasswordFlow;
      };
    }
  | {
      /** HTTP authentication: `Authorization: Bearer <token>`, or `Authorization: DPoP <token>` with a proof. */
      type: 'http';
      /** The HTTP authentication scheme: `bearer` (RFC 6750) or `DPoP` (RFC 9449). */
      scheme: 'bearer' | 'DPoP';
      /** A hint at the token's format, e.g. `'JWT'`. */
      bearerFormat?: string;
      /** Shown beside the scheme. */
      description?: string;
    }
  | {
      /** An API key, here the token in a cookie. */
      type: 'apiKey';
      /** Where the key travels. */
      in: 'cookie';
      /** The cookie's name: the manager's `cookieName`. */
      name: string;
      /** Shown beside the scheme. */
      description?: string;
    };

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
  /** The OpenAPI version, e.g. `'3.0.0'`. */
  openapi: string;
  /** The operations, by path and method: routes with login decorators get their `security` and responses. */
  paths?: object;
  /** Where `securitySchemes` are added. */
  components?: object;
}
