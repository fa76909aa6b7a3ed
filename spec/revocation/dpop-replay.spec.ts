import { expect } from 'chai';
import { calculateThumbprint } from 'dpop';
import jwt from 'jsonwebtoken';
import { Get, JsonController } from 'routing-controllers';
import { LoggedIn, LoginManager, MemoryRevocationStore, RedisRevocationStore, User } from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { frozenClock } from '../helpers/clock';
import { type DpopClient, dpopClient, listening } from '../helpers/dpop';
import { HS256_SECRET } from '../helpers/keys';
import { describeOnRedis, type RedisClient, uniquePrefix } from '../helpers/redis-targets';

type Who = { sub: string };

@Service()
@JsonController('/replay')
class ReplayController {
  @LoggedIn()
  @Get('/me')
  me(@User() user: Who) {
    return user;
  }
}

describe('MemoryRevocationStore.firstUse (DPoP replay)', () => {
  it('answers true once per id until it expires, of concurrent calls exactly one', async () => {
    const clock = frozenClock();
    const store = new MemoryRevocationStore({ clock: clock.now });
    const results = await Promise.all(Array.from({ length: 10 }, () => store.firstUse('p-1', clock.ms + 1000)));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(store.firstUse('p-2', clock.ms + 1000)).to.equal(true);
    clock.advance(1000);
    expect(store.firstUse('p-1', clock.ms + 1000)).to.equal(false);
    clock.advance(1);
    expect(store.firstUse('p-1', clock.ms + 1000)).to.equal(true);
  });
});

describeOnRedis('RedisRevocationStore.firstUse (DPoP replay)', (target) => {
  const prefix = uniquePrefix('dpop-replay');
  let clients: RedisClient[];
  let client: DpopClient;
  before(async () => {
    clients = [target.connect(), target.connect()];
    client = await dpopClient('ES256');
  });

  it('records a proof id once across connections (SET NX), kept until its window ends', async () => {
    const stores = clients.map((redis) => new RedisRevocationStore(redis, { prefix }));
    const until = Date.now() + 60_000;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (stores[i % 2] as RedisRevocationStore).firstUse('proof-1', until)),
    );
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await clients[0]?.pttl(`${prefix}dpop:proof-1`)).to.be.within(58_000, 60_000);
    expect(await stores[1]?.firstUse('proof-2', until)).to.equal(true);
  });

  it('refuses on instance B a proof already used on instance A, behind one public URL', async () => {
    const instances = await Promise.all(
      clients.map(async (redis) => {
        const manager = new LoginManager<Who>({
          secret: HS256_SECRET,
          tokenUrl: '/t',
          dpop: 'allowed',
          userLoader: (sub) => ({ sub }),
          revocationStore: new RedisRevocationStore(redis, { prefix }),
        });
        const app = appWith(manager as LoginManager<unknown>, { controllers: [ReplayController] }, (express) => {
          express.set('trust proxy', 'loopback');
        });
        return listening(app);
      }),
    );
    try {
      const token = jwt.sign(
        { sub: 'ada', cnf: { jkt: await calculateThumbprint(client.keys.publicKey) } },
        HS256_SECRET,
        {
          expiresIn: '5m',
        },
      );
      const proof = await client.proof('https://api.example.com/replay/me', 'GET', { accessToken: token });
      const send = (origin: string) =>
        request(origin)
          .get('/replay/me')
          .set({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example.com' })
          .set('Authorization', `DPoP ${token}`)
          .set('DPoP', proof);
      const [a, b] = instances.map((instance) => instance.origin) as [string, string];
      expect((await send(a)).status).to.equal(200);
      const replayed = await send(b);
      expect(replayed.status).to.equal(401);
      expect(replayed.body.code).to.equal('dpop_proof_invalid');
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });
});
