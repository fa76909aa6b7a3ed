import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { Express } from 'express';
import { getMetadataArgsStorage } from 'routing-controllers';
import { type LoginManager, withLoginSecurity } from 'routing-controllers-login';
import { routingControllersToSpec } from 'routing-controllers-openapi';
import swaggerUi from 'swagger-ui-express';

/** The demo's OpenAPI document: routing-controllers-openapi's, with the login's schemes and security. */
export function demoSpec(manager: LoginManager<unknown>) {
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' });
  const info = { title: 'routing-controllers-login demo', version: '1.0.0' };
  return withLoginSecurity(
    routingControllersToSpec(getMetadataArgsStorage(), {}, { info, components: { schemas } }),
    manager,
  );
}

/**
 * `GET /openapi.json`, and Swagger UI at `/docs` (its files come from the swagger-ui-dist
 * package, no CDN): the Authorize button logs in through the password flow at `/auth/token`.
 */
export function serveApiDocs(app: Express, manager: LoginManager<unknown>): void {
  const spec = demoSpec(manager);
  app.get('/openapi.json', (_request, response) => {
    response.json(spec);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(spec));
}
