export { type LoginSecurityOptions, loginSecuritySchemes } from './schemes';
export type {
  OpenApiDocument,
  OpenApiPasswordFlow,
  OpenApiSecurityRequirement,
  OpenApiSecurityScheme,
} from './types';
export { type WithLoginSecurityOptions, withLoginSecurity } from './with-login-security';
