import type { OpenApiDocument } from './types';

const REF = '#/components/schemas/PasswordForm';

/**
 * `PasswordForm` as JSON Schema, as class-validator-jsonschema derives it from the class's
 * validators (a spec compares what withLoginSecurity adds with what it derives, so they cannot drift).
 */
const PASSWORD_FORM_SCHEMA = {
  properties: {
    username: { maxLength: 256, type: 'string', minLength: 1 },
    password: { maxLength: 1024, type: 'string', minLength: 1 },
    scope: { maxLength: 2048, type: 'string' },
    grant_type: { type: 'string', enum: ['password'] },
    client_id: { maxLength: 256, type: 'string' },
    client_secret: { maxLength: 1024, type: 'string' },
  },
  type: 'object',
  required: ['username', 'password'],
};

/**
 * routing-controllers-openapi refers to a `@Body() form: PasswordForm` as `#/components/schemas/PasswordForm`
 * and leaves the schemas to class-validator-jsonschema: without it, the document does not resolve
 * (Swagger UI shows a resolver error). This library knows its own form, so it fills that one in.
 */
export function addPasswordFormSchema(document: OpenApiDocument): void {
  if (!JSON.stringify(document.paths ?? {}).includes(`"${REF}"`)) return;
  document.components ??= {};
  const components = document.components as { schemas?: Record<string, unknown> };
  components.schemas ??= {};
  components.schemas.PasswordForm ??= structuredClone(PASSWORD_FORM_SCHEMA);
}
