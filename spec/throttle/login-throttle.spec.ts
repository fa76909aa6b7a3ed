import { expect } from 'chai';
import type { Request } from 'express';
import { Body, JsonController, Post, Req } from 'routing-controllers';
import {
  InvalidCredentialsError,
  LoginConfigurationError,
  LoginManager,
  LoginThrottle,
  type LoginThrottleOptions,
  PasswordForm,
  RedisThrottleStore,
  TooManyLoginAttemptsError,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { frozenClock } from '../helpers/clock';
import { HS256_SECRET } from '../helpers/keys';
import { describeOnRedis, uniquePrefix } from '../helpers/redis-targets';

const PASSWORDS: Record<string, string> = { 'john@example.com': 'right', 'jane@example.com': 'right' };

/** Which throttle the token route of the app being tested uses, and how many password checks ran. */
const current = { throttle: undefined as unknown as LoginThrottle, checks: 0 };

@Service()
@JsonController('/throttled')
class ThrottledTokenController {
  @Post('/token')
  async token(@Body({ validate: true }) form: PasswordForm, @Req() req: Request) {
    const user = await current.throttle.attempt(form.username, req, async () => {
      current.checks += 1;
      return PASSWORDS[form.username] === form.password ? form.username : undefined;
    });
    if (!user) throw new InvalidCredentialsError();
    return { sub: user };
  }
}

const manager = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/throttled/token', userLoader: () => null });

function appFor(throttle: LoginThrottle) {
  const app = appWith(manager, { controllers: [ThrottledTokenController] }, (a) => a.set('trust proxy', true));
  const login = (username: string, password: string, ip = '203.0.113.1') => {
    current.throttle = throttle;
    return request(app).post('/throttled/token').set('X-Forwarded-For', ip).send({ username, password });
  };
  return login;
}

/** The behaviour every store must give through a real app; `make` builds throttles sharing one store. */
function throttleContract(name: string, make: (options: LoginThrottleOptions) => LoginThrottle) {
  describe(name, () => {
    let clock: ReturnType<typeof frozenClock>;
    beforeEach(() => {
      clock = frozenClock(Date.UTC(2030, 0, 1) + Math.floor(Math.random() * 1e9));
      current.checks = 0;
    });
    const rules = () => ({
      clock: clock.now,
      perAccount: { attempts: 3, delay: '30s', maxDelay: '15m' },
      perAddress: { attempts: 10, delay: '1m' },
    });

    it('answers the N+1-th attempt after N wrong passwords 429 with Retry-After, before checking it', async () => {
      const login = appFor(make(rules()));
      for (let i = 0; i < 3; i += 1) await login('john@example.com', 'wrong').expect(401);
      const refused = await login('john@example.com', 'right').expect(429);
      expect(refused.headers['retry-after']).to.equal('30');
      expect(refused.body).to.deep.equal({
        name: 'TooManyLoginAttemptsError',
        message: 'Too many login attempts, try again later',
        code: 'login_throttled',
        retryAfter: 30,
      });
      expect(refused.text).not.to.include('right');
      expect(current.checks).to.equal(3);
    });

    it('lets the account try again after the wait, doubling it after each further failure', async () => {
      const login = appFor(make(rules()));
      for (let i = 0; i < 3; i += 1) await login('john@example.com', 'wrong').expect(401);
      clock.advance(29_000);
      expect((await login('john@example.com', 'wrong').expect(429)).headers['retry-after']).to.equal('1');
      clock.advance(1_000);
      await login('john@example.com', 'wrong').expect(401);
      expect((await login('john@example.com', 'wrong').expect(429)).headers['retry-after']).to.equal('60');
      clock.advance(60_000);
      await login('john@example.com', 'right').expect(200);
      await login('john@example.com', 'wrong').expect(401);
    });

    it('counts the account across addresses, case-insensitively, and leaves other accounts alone', async () => {
      const login = appFor(make(rules()));
      await login('john@example.com', 'wrong', '198.51.100.1').expect(401);
      await login('JOHN@example.com', 'wrong', '198.51.100.2').expect(401);
      await login('john@example.com', 'wrong', '2001:db8::1').expect(401);
      await login('john@example.com', 'right', '198.51.100.9').expect(429);
      await login('jane@example.com', 'right', '198.51.100.9').expect(200);
    });

    it('counts the address across accounts (password spraying), an IPv6 client by its /64', async () => {
      const login = appFor(make(rules()));
      for (let i = 0; i < 10; i += 1) await login(`user${i}@example.com`, 'wrong', `2001:db8:0:7::${i}`).expect(401);
      const refused = await login('jane@example.com', 'right', '2001:db8:0:7::ff').expect(429);
      expect(refused.headers['retry-after']).to.equal('60');
      await login('jane@example.com', 'right', '2001:db8:0:8::1').expect(200);
    });

    it('forgets the failures of an account that logs in, but a success does not wipe its address', async () => {
      const login = appFor(make({ ...rules(), perAddress: { attempts: 3, delay: '1m' } }));
      await login('john@example.com', 'wrong').expect(401);
      await login('john@example.com', 'wrong').expect(401);
      await login('john@example.com', 'right').expect(200);
      await login('john@example.com', 'wrong', '198.51.100.50').expect(401);
      await login('john@example.com', 'wrong', '198.51.100.50').expect(401);
      await login('john@example.com', 'right', '198.51.100.50').expect(200);
      // The first address still holds its two failures: one more, and it waits.
      await login('jane@example.com', 'wrong').expect(401);
      await login('jane@example.com', 'right').expect(429);
    });

    it('lets exactly N of many concurrent wrong passwords reach the password check', async () => {
      const login = appFor(make(rules()));
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          login('jane@example.com', 'wrong', `198.51.100.${i}`).then((r) => r.status),
        ),
      );
      expect(statuses.filter((status) => status === 401)).to.have.length(3);
      expect(statuses.filter((status) => status === 429)).to.have.length(9);
      expect(current.checks).to.equal(3);
    });
  });
}

describe('LoginThrottle', () => {
  throttleContract('with the memory store', (options) => new LoginThrottle(options));

  describeOnRedis('RedisThrottleStore', (target) => {
    throttleContract('each request on another instance', (options) => {
      const prefix = uniquePrefix('login-throttle');
      const instances = [0, 1].map(
        () => new LoginThrottle({ ...options, store: new RedisThrottleStore(target.connect(), { prefix }) }),
      );
      let turn = 0;
      // One object the app calls, which hands each attempt to the next instance.
      return {
        attempt: (...args: Parameters<LoginThrottle['attempt']>) => {
          turn += 1;
          return (instances[turn % 2] as LoginThrottle).attempt(...args);
        },
      } as unknown as LoginThrottle;
    });
  });

  it('does not count an attempt whose password check threw (an outage is not a wrong password)', async () => {
    const throttle = new LoginThrottle({ perAccount: { attempts: 1 }, perAddress: false });
    const outage = new Error('database down');
    for (let i = 0; i < 3; i += 1) {
      const thrown = await throttle.attempt('john', '203.0.113.1', () => Promise.reject(outage)).catch((e) => e);
      expect(thrown).to.equal(outage);
    }
    expect(await throttle.attempt('john', '203.0.113.1', () => 'user')).to.equal('user');
  });

  it('unlocks an account with reset', async () => {
    const throttle = new LoginThrottle({ perAccount: { attempts: 1 }, perAddress: false });
    await throttle.attempt('john', '203.0.113.1', () => undefined);
    const refused = await throttle.attempt('john', '203.0.113.1', () => 'user').catch((e) => e);
    expect(refused).to.be.instanceOf(TooManyLoginAttemptsError).and.include({ httpCode: 429, retryAfter: 30 });
    expect(refused.headers).to.deep.equal({ 'Retry-After': '30' });
    await throttle.reset('john');
    expect(await throttle.attempt('john', '203.0.113.1', () => 'user')).to.equal('user');
  });

  it('fails closed with a 503 when the store does not answer, and logs the outage once, and its end', async () => {
    const errors: string[] = [];
    const warnings: string[] = [];
    let down = true;
    const hanging = {
      consume: () => (down ? new Promise<number>(() => {}) : Promise.resolve(0)),
      refund: async () => {},
      clear: async () => {},
    };
    const throttle = new LoginThrottle({
      store: hanging,
      storeTimeout: 20,
      logger: { error: (message: string) => void errors.push(message), warn: (message) => void warnings.push(message) },
    });
    for (let i = 0; i < 2; i += 1) {
      const refused = await throttle.attempt('john', '203.0.113.1', () => 'user').catch((e) => e);
      expect(refused).to.include({ httpCode: 503, code: 'store_unavailable' });
    }
    expect(errors).to.deep.equal([
      'routing-controllers-login: throttle store unavailable; refusing logins until it is back',
    ]);
    down = false;
    expect(await throttle.attempt('john', '203.0.113.1', () => 'user')).to.equal('user');
    expect(warnings).to.deep.equal(['routing-controllers-login: throttle store available again']);
  });

  it('refuses bad options at construction, saying how to fix them', () => {
    const bad: [unknown, RegExp][] = [
      [{ perAcount: {} }, /unknown option\(s\) perAcount/],
      [{ perAccount: { attempts: 0 } }, /perAccount\.attempts/],
      [{ perAccount: { delay: '900' } }, /perAccount\.delay/],
      [{ perAddress: { maxDelay: '1h', forgetAfter: '10m' } }, /forgetAfter.*shorter than.*maxDelay/],
      [{ perAccount: false, perAddress: false }, /nothing would be throttled/],
      [{ store: {} }, /consume, refund and clear/],
      [{ perAccount: { lockout: '1h' } }, /unknown key\(s\) lockout/],
      [{ clock: 1 }, /^routing-controllers-login: LoginThrottle: `clock` is a function returning milliseconds/],
      [{ storeTimeout: 0 }, /^routing-controllers-login: LoginThrottle: `storeTimeout` is a whole number/],
      [
        { perAccount: { maxDelay: 'soon' } },
        /^routing-controllers-login: LoginThrottle: `perAccount.maxDelay` "soon" is not/,
      ],
    ];
    for (const [options, message] of bad) {
      expect(() => new LoginThrottle(options as LoginThrottleOptions), JSON.stringify(options)).to.throw(
        LoginConfigurationError,
        message,
      );
    }
  });
});
