import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { Get, JsonController, Post } from 'routing-controllers';
import { LoggedIn, LoginManager, withLoginSecurity } from 'routing-controllers-login';
import { Service } from 'typedi';
import { HS256_SECRET } from '../helpers/keys';
import { generatedSpec, storageOf } from './fixture';

@Service()
@JsonController('/payments')
class PaymentsController {
  @LoggedIn({ maxAge: '5m' })
  @Post('/')
  pay() {
    return { paid: true };
  }

  @LoggedIn({ acr: ['mfa'], maxAge: 60 })
  @Post('/payees')
  addPayee() {
    return { added: true };
  }

  @LoggedIn()
  @Get('/')
  list() {
    return [];
  }
}

interface Response {
  description: string;
  headers?: Record<string, { description: string }>;
}

describe('openapi: step-up routes (RFC 9470) document their 401', () => {
  const storage = storageOf([PaymentsController]);
  const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/auth/token' });
  const spec = withLoginSecurity(generatedSpec(storage), manager, { storage });
  const unauthorized = (path: string, method: string) =>
    (spec.paths[path] as Record<string, { responses: Record<string, Response> }>)[method]?.responses['401'] as Response;

  it('says a login older than maxAge (or not of an acr listed) is refused, with the exact challenge', () => {
    const pay = unauthorized('/payments/', 'post');
    expect(pay.description).to.include('a login older than 300 seconds (log in again)');
    expect(pay.headers?.['WWW-Authenticate']?.description).to.include(
      'Bearer error="insufficient_user_authentication", max_age=300',
    );
    const payee = unauthorized('/payments/payees', 'post');
    expect(payee.description).to.include('older than 60 seconds, or not made one of these ways (acr): mfa');
    expect(payee.headers?.['WWW-Authenticate']?.description).to.include(
      'Bearer error="insufficient_user_authentication", acr_values="mfa", max_age=60',
    );
    const list = unauthorized('/payments/', 'get');
    expect(list.description).not.to.include('older');
    expect(list.headers?.['WWW-Authenticate']?.description).to.include('Bearer error="invalid_token"');
  });

  it('validates against the OpenAPI 3 schema', async () => {
    const result = await new Validator().validate(structuredClone(spec) as unknown as Record<string, unknown>);
    expect(result.valid, JSON.stringify(result.errors)).to.equal(true);
  });
});
