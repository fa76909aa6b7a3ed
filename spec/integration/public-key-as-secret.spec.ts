import { expect } from 'chai';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginConfigurationError, LoginManager, type LoginOptions } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { forge, hmac, keyPair, nowSeconds, rs256 } from '../helpers/keys';

@Service()
@JsonController('/payroll')
class PayrollController {
  @LoggedIn()
  @Get('/')
  open() {
    return { opened: true };
  }
}

const AUDIENCE = 'payroll-api';
const { publicPem, privateKey } = keyPair('rsa');
const claims = () => ({ sub: 'admin', aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 300 });

onEveryServer('a verifying service handed the public key as its HMAC secret', (server) => {
  // The attacker has the public key (everyone has) and signs whatever they like with it as an HMAC secret.
  const forged = forge({ alg: 'HS256', typ: 'JWT' }, claims(), hmac(publicPem));

  it('cannot be built, so the token HMAC-signed with the public PEM has no manager to accept it', () => {
    const misconfigured: Array<Partial<LoginOptions>> = [
      { secret: publicPem },
      { secret: publicPem, algorithm: 'HS256' },
      { secret: Buffer.from(`\n${publicPem}`) },
      { keys: [{ algorithm: 'HS256', secret: publicPem }] },
    ];
    for (const options of misconfigured) {
      expect(
        () => new LoginManager({ tokenUrl: '/t', audience: AUDIENCE, userLoader: (sub) => ({ sub }), ...options }),
        JSON.stringify(Object.keys(options)),
      ).to.throw(LoginConfigurationError, /holds a public key/);
    }
  });

  it('built as the message says (the public key in `keys`), refuses the forged token and takes a real one', async () => {
    const manager = new LoginManager({
      keys: [{ algorithm: 'RS256', publicKey: publicPem }],
      audience: AUDIENCE,
      tokenUrl: '/t',
      userLoader: (sub) => ({ sub }),
    });
    const app = server.app(manager, { controllers: [PayrollController] });
    await request(app).get('/payroll').set('Authorization', `Bearer ${forged}`).expect(401);
    const real = forge({ alg: 'RS256', typ: 'JWT' }, claims(), rs256(privateKey));
    await request(app).get('/payroll').set('Authorization', `Bearer ${real}`).expect(200, { opened: true });
  });
});
