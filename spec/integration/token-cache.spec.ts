import crypto from 'node:crypto';
import { expect } from 'chai';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, type LoginErrorCode, LoginManager, type LoginOptions, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { frozenClock } from '../helpers/clock';
import { HS256_SECRET } from '../helpers/keys';
import { type Account, accountLoader } from '../helpers/users';

@Service()
@JsonController('/cached')
class CachedController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { admin: true };
  }

  @LoggedIn({ fresh: true })
  @Get('/fresh')
  fresh() {
    return { fresh: true };
  }

  @LoggedIn({ refresh: true })
  @Get('/refresh')
  refresh() {
    return { refreshed: true };
  }
}

/** Counts HMAC computations (HS256 signature checks) while `run` runs: 0 means the token came from the cache. */
async function signatureChecks(run: () => Promise<unknown>): Promise<number> {
  const original = crypto.createHmac;
  let calls = 0;
  (crypto as { createHmac: unknown }).createHmac = (...args: unknown[]) => {
    calls += 1;
    return (original as (...a: unknown[]) => unknown)(...args);
  };
  try {
    await run();
  } finally {
    (crypto as { createHmac: unknown }).createHmac = original;
  }
  return calls;
}

function setup(options: Partial<LoginOptions<Account>> = {}) {
  const clock = frozenClock();
  const codes: LoginErrorCode[] = [];
  const users = accountLoader();
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    clock: clock.now,
    onAuthFailure: (code) => void codes.push(code),
    ...options,
  });
  const app = appWith(manager, { controllers: [CachedController] });
  const get = (path: string, token: string) =>
    request(app).get(`/cached${path}`).set('Authorization', `Bearer ${token}`);
  /** Sends the token twice so it is cached (admitted on its second sighting), and checks that a third request is served from the cache. */
  const cache = async (token: string, path = '/me') => {
    await get(path, token).expect(200);
    await get(path, token).expect(200);
    expect(await signatureChecks(() => get(path, token).expect(200))).to.equal(0);
  };
  return { clock, codes, users, manager, get, cache };
}

describe('verified-token cache: what a cached token must still pass', () => {
  it('skips the signature check for a token seen twice before, and still loads the user every request', async () => {
    const { manager, get, users } = setup();
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    expect(await signatureChecks(() => get('/me', token).expect(200))).to.equal(1);
    // Admitted on its second sighting: a token sent once never takes a place in the cache.
    expect(await signatureChecks(() => get('/me', token).expect(200))).to.equal(1);
    users.calls = 0;
    expect(await signatureChecks(() => get('/me', token).expect(200, { email: 'john@example.com' }))).to.equal(0);
    expect(users.calls).to.equal(1);
  });

  it('refuses a cached token once revoked, on the very next request', async () => {
    const { manager, get, cache, codes } = setup();
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await cache(token);
    await manager.revoke(token);
    await get('/me', token).expect(401);
    expect(codes).to.deep.equal(['token_revoked']);
  });

  it('refuses a cached token after revokeAllFor its user', async () => {
    const { manager, get, cache, codes, clock } = setup();
    const token = manager.createAccessToken({ data: { sub: 'jane@example.com' } });
    await cache(token);
    clock.advance(1000);
    await manager.revokeAllFor('jane@example.com');
    await get('/me', token).expect(401);
    expect(codes).to.deep.equal(['token_revoked']);
  });

  it('refuses a cached token at its exp, by the manager clock', async () => {
    const { manager, get, cache, codes, clock } = setup();
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' }, expiresIn: 60 });
    await cache(token);
    clock.advance(59_000);
    await get('/me', token).expect(200);
    clock.advance(1000);
    await get('/me', token).expect(401);
    expect(codes).to.deep.equal(['token_expired']);
  });

  it('refuses a cached token older than maxAge', async () => {
    const { manager, get, cache, codes, clock } = setup({ maxAge: 30 });
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await cache(token);
    clock.advance(31_000);
    await get('/me', token).expect(401);
    expect(codes).to.deep.equal(['token_expired']);
  });

  it('refuses a cached refresh token on an access route, and a cached access token on a refresh route', async () => {
    const { manager, get, cache, codes } = setup();
    const refresh = manager.createRefreshToken({ data: { sub: 'john@example.com' } });
    await cache(refresh, '/refresh');
    await get('/me', refresh).expect(401);
    const access = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await cache(access);
    await get('/refresh', access).expect(401);
    expect(codes).to.deep.equal(['token_type_invalid', 'token_type_invalid']);
  });

  it('still applies the route requirements to a cached token: scopes and fresh', async () => {
    const { manager, get, cache, codes } = setup();
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' }, scopes: ['read'] });
    await cache(token);
    await get('/admin', token).expect(403);
    await get('/fresh', token).expect(401);
    expect(codes).to.deep.equal(['insufficient_scope', 'fresh_login_required']);
  });

  it('hands loaders read-only claims, cache or not: a loader cannot change what the next request sees', async () => {
    for (const tokenCacheSize of [10_000, 0]) {
      const seen: unknown[] = [];
      const { manager, get } = setup({
        tokenCacheSize,
        userLoader: (sub, payload) => {
          seen.push(Object.isFrozen(payload) && Object.isFrozen(payload.scopes));
          return { email: sub, name: 'x' };
        },
      });
      const token = manager.createAccessToken({ data: { sub: 'john@example.com' }, scopes: ['read'] });
      await get('/me', token).expect(200);
      await get('/me', token).expect(200);
      expect(seen, `tokenCacheSize ${tokenCacheSize}`).to.deep.equal([true, true]);
    }
  });

  it('checks every signature with tokenCacheSize: 0', async () => {
    const { manager, get } = setup({ tokenCacheSize: 0 });
    const token = manager.createAccessToken({ data: { sub: 'john@example.com' } });
    await get('/me', token).expect(200);
    expect(await signatureChecks(() => get('/me', token).expect(200))).to.equal(1);
  });

  it('refuses a tokenCacheSize that is not a whole number from 0 to 10000000', () => {
    for (const tokenCacheSize of [-1, 1.5, '100', Number.NaN, 10_000_001]) {
      expect(
        () => new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', tokenCacheSize: tokenCacheSize as number }),
        String(tokenCacheSize),
      ).to.throw(/routing-controllers-login: `tokenCacheSize` is a whole number/);
    }
  });
});
