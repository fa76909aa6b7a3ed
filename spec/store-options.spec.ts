import { expect } from 'chai';
import { Redis } from 'ioredis';
import {
  LoginConfigurationError,
  LoginThrottle,
  MemoryRevocationStore,
  MemoryThrottleStore,
  RedisRevocationStore,
  RedisThrottleStore,
} from 'routing-controllers-login';

/** A real ioredis client that never connects: the constructors only look at it. */
const client = new Redis({ lazyConnect: true });

/** Each store, built with `options` as a JavaScript caller (or a typo) may give them, and the options it knows. */
const stores: Array<{ name: string; make: (options: unknown) => unknown; known: string }> = [
  {
    name: 'RedisRevocationStore',
    make: (o) => new RedisRevocationStore(client, o as never),
    known: 'prefix, clock, mirror',
  },
  { name: 'RedisThrottleStore', make: (o) => new RedisThrottleStore(client, o as never), known: 'prefix' },
  { name: 'MemoryRevocationStore', make: (o) => new MemoryRevocationStore(o as never), known: 'clock' },
  { name: 'MemoryThrottleStore', make: (o) => new MemoryThrottleStore(o as never), known: 'maxEntries' },
];

/** The message a construction threw, which must be a LoginConfigurationError. */
function refusal(make: () => unknown): string {
  expect(make).to.throw(LoginConfigurationError);
  try {
    make();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('store options: unknown options and options of the wrong type are refused at construction', () => {
  after(() => client.disconnect());

  for (const { name, make, known } of stores) {
    describe(name, () => {
      it('refuses an unknown option, listing the options it takes', () => {
        const list = known ? `the options are ${known}.` : 'it takes no options.';
        expect(refusal(() => make({ anything: true }))).to.equal(
          `routing-controllers-login: ${name}: unknown option(s) anything; ${list}`,
        );
        expect(refusal(() => make({ prefx: 'app:', colck: Date.now }))).to.contain('unknown option(s) prefx, colck;');
      });

      it('refuses options that are not an object', () => {
        for (const options of [null, 'rcl:', 42, ['prefix']]) {
          expect(refusal(() => make(options))).to.match(new RegExp(`^routing-controllers-login: ${name}: takes `));
        }
      });

      it('accepts no options, an empty object, and the options it knows left undefined', () => {
        for (const options of [
          undefined,
          {},
          Object.fromEntries(
            known
              .split(', ')
              .filter(Boolean)
              .map((k) => [k, undefined]),
          ),
        ]) {
          expect(() => make(options)).not.to.throw();
        }
      });

      if (known.includes('prefix')) {
        it('refuses a prefix that is not a string', () => {
          expect(refusal(() => make({ prefix: 42 }))).to.equal(
            `routing-controllers-login: ${name}: \`prefix\` is a string put before every key, e.g. 'rcl:'.`,
          );
          expect(() => make({ prefix: 'app:' })).not.to.throw();
        });
      }

      if (known.includes('clock')) {
        it('refuses a clock that is not a function', () => {
          expect(refusal(() => make({ clock: Date.now() }))).to.equal(
            `routing-controllers-login: ${name}: \`clock\` is a function returning milliseconds, like Date.now.`,
          );
          expect(() => make({ clock: () => 0 })).not.to.throw();
        });
      }
    });
  }

  it('refuses, for the Redis stores, a client that is not an ioredis client (a URL, say)', () => {
    expect(refusal(() => new RedisRevocationStore('redis://localhost:6379' as never))).to.equal(
      'routing-controllers-login: RedisRevocationStore: the client is not an ioredis client (it has no eval): give one, e.g. new Redis(process.env.REDIS_URL).',
    );
    expect(refusal(() => new RedisThrottleStore(undefined as never))).to.contain(
      'RedisThrottleStore: the client is not an ioredis client (it has no eval, del)',
    );
  });

  it('refuses a `mirror` that is not true, false or { maxStaleness }, and a client the mirror cannot use', () => {
    const make =
      (options: unknown, redis: unknown = client) =>
      () =>
        new RedisRevocationStore(redis as never, options as never);
    expect(refusal(make({ mirror: 'yes' }))).to.equal(
      'routing-controllers-login: RedisRevocationStore: `mirror` is true, false or { maxStaleness }.',
    );
    expect(refusal(make({ mirror: { maxStaleness: 5 } }))).to.equal(
      'routing-controllers-login: RedisRevocationStore: `mirror`: `maxStaleness` is a whole number of milliseconds between 20 and 60000.',
    );
    expect(refusal(make({ mirror: { maxStaleness: 100, staleness: 1 } }))).to.equal(
      'routing-controllers-login: RedisRevocationStore: `mirror`: unknown option(s) staleness; the options are maxStaleness.',
    );
    expect(refusal(make({ mirror: true }, { eval: async () => null }))).to.contain(
      'RedisRevocationStore `mirror`: the client is not an ioredis client (it has no duplicate, publish, scan)',
    );
    const prefixed = new Redis({ lazyConnect: true, keyPrefix: 'app:' });
    expect(refusal(make({ mirror: true }, prefixed))).to.contain(
      "`mirror` cannot use a client with ioredis' keyPrefix",
    );
    expect(() => new RedisRevocationStore(prefixed, { mirror: false })).not.to.throw();
  });

  it('refuses a bad store option when the throttle is built, before any login is attempted', () => {
    expect(() => new LoginThrottle({ store: new RedisThrottleStore(client, { prefx: 'app:' } as never) })).to.throw(
      LoginConfigurationError,
      /RedisThrottleStore: unknown option\(s\) prefx; the options are prefix\./,
    );
  });
});
