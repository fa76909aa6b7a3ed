import { expect } from 'chai';
import { LOGIN_EVENTS, type LoginOptions, RedisRevocationStore } from 'routing-controllers-login';
import request from 'supertest';
import { onEveryServer, type Server } from '../helpers/drivers';
import { listen } from '../helpers/events';
import { EVENTS_CONTROLLERS, PASSWORD, SUB, setUp } from '../helpers/events-app';
import { HS256_SECRET } from '../helpers/keys';
import { describeOnRedis, type RedisTarget, uniquePrefix } from '../helpers/redis-targets';
import type { Account } from '../helpers/users';

/** `:session-ended` through the events app, on the manager's memory store or on `redis`. */
function sessionEndedSpecs(server: Server, redis?: RedisTarget) {
  let log: ReturnType<typeof listen>;
  beforeEach(() => {
    log = listen();
    log.secret(PASSWORD, HS256_SECRET);
  });
  afterEach(() => log.stop());

  const manager = (options: Partial<LoginOptions<Account>> = {}) => {
    const store = redis && new RedisRevocationStore(redis.connect(), { prefix: uniquePrefix('session-events') });
    return setUp({ ...(store ? { revocationStore: store } : {}), ...options });
  };

  /** Logs in through the app's token route: the tokens remembered as secrets; the login's family. */
  async function logIn(app: ReturnType<typeof server.app>): Promise<string> {
    const response = await request(app).post('/events/token').send({ username: SUB, password: PASSWORD }).expect(200);
    log.secretsOf(response);
    return log.of(LOGIN_EVENTS.login).at(-1)?.family as string;
  }

  it(":session-ended: endSession names the user, the login and reason 'ended', once", async () => {
    const { manager: login } = manager();
    const app = server.app(login, { controllers: EVENTS_CONTROLLERS });
    const family = await logIn(app);
    expect(await login.endSession(SUB, family)).to.equal(true);
    expect(await login.endSession(SUB, family)).to.equal(false);
    expect(log.of(LOGIN_EVENTS.sessionEnded)).to.deep.equal([{ sub: SUB, family, reason: 'ended' }]);
    log.expectNoSecret();
  });

  it(":session-ended: a login beyond maxSessions pushes the oldest out, reason 'evicted'", async () => {
    const { manager: login, clock } = manager({ maxSessions: 1 });
    const app = server.app(login, { controllers: EVENTS_CONTROLLERS });
    const first = await logIn(app);
    clock.advance(1000);
    const second = await logIn(app);
    expect(log.of(LOGIN_EVENTS.sessionEnded)).to.deep.equal([{ sub: SUB, family: first, reason: 'evicted' }]);
    expect((await login.sessions(SUB)).map((session) => session.id)).to.deep.equal([second]);
    log.expectNoSecret();
  });
}

onEveryServer('the session-ended security event', (server) => {
  describe('on the memory store', () => sessionEndedSpecs(server));
  describeOnRedis('on Redis', (target) => sessionEndedSpecs(server, target));
});
