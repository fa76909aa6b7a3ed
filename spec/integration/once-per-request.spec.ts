import crypto from 'node:crypto';
import { expect } from 'chai';
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { onEveryServer } from '../helpers/drivers';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

@Service()
@JsonController('/once')
class EverythingController {
  @LoggedIn()
  @Authorized()
  @Get('/')
  everything(@User() first: Account, @User() second: Account, @CurrentUser() third: Account) {
    return { same: first === second && second === third, email: first.email };
  }

  @Get('/optional')
  optional(@User({ required: false }) first: Account | undefined, @CurrentUser() second: Account | undefined) {
    return { same: first === second };
  }
}

/**
 * Counts HMAC computations, i.e. HS256 signature checks: the library calls `createHmac`
 * on the shared `node:crypto` module at call time, and nothing else on a request computes one.
 */
function countVerifications(): { count: () => number; restore: () => void } {
  const original = crypto.createHmac;
  let calls = 0;
  (crypto as { createHmac: unknown }).createHmac = (...args: unknown[]) => {
    calls += 1;
    return (original as (...a: unknown[]) => unknown)(...args);
  };
  return { count: () => calls, restore: () => ((crypto as { createHmac: unknown }).createHmac = original) };
}

onEveryServer('once per request', (server) => {
  const users = accountLoader();
  const manager = new LoginManager<Account>({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: users.load });
  const app = server.app(manager, { controllers: [EverythingController] }, [manager.middleware()]);
  const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });

  it('verifies the token and calls the loader once for @LoggedIn + @Authorized + 2×@User + @CurrentUser + middleware()', async () => {
    const verifications = countVerifications();
    users.calls = 0;
    try {
      const response = await request(app).get('/once').set('Authorization', `Bearer ${token}`).expect(200);
      expect(response.body).to.deep.equal({ same: true, email: 'john@example.com' });
      expect(users.calls).to.equal(1);
      expect(verifications.count()).to.equal(1);
    } finally {
      verifications.restore();
    }
  });

  it('does it again on the next request: nothing is cached across requests', async () => {
    users.calls = 0;
    await request(app).get('/once').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app).get('/once').set('Authorization', `Bearer ${token}`).expect(200);
    expect(users.calls).to.equal(2);
  });

  it('calls the loader once on an optional route too', async () => {
    users.calls = 0;
    await request(app).get('/once/optional').set('Authorization', `Bearer ${token}`).expect(200, { same: true });
    expect(users.calls).to.equal(1);
  });
});
