import { expect } from 'chai';
import { GuardedStore } from '../../src/revocation/guarded-store';
import { MemoryRevocationStore } from '../../src/revocation/memory-store';
import type { RevocationStore } from '../../src/revocation/store';
import { LoginStoreUnavailableError } from '../../src/shared/errors';
import type { LoginLogger } from '../../src/shared/logger';

const payload = (extra: Record<string, unknown> = {}) => ({
  sub: 'u',
  exp: 2_000_000_000,
  iat: 1000,
  jti: 'j',
  ...extra,
});

function logger(): LoginLogger & { errors: unknown[]; warnings: string[] } {
  const errors: unknown[] = [];
  const warnings: string[] = [];
  return { errors, warnings, error: (m) => void errors.push(m), warn: (m) => void warnings.push(m) };
}

/** Counts setTimeout calls while `run` runs. */
async function timersDuring(run: () => unknown): Promise<number> {
  const original = globalThis.setTimeout;
  let timers = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    timers += 1;
    return original(...args);
  }) as typeof setTimeout;
  try {
    await run();
  } finally {
    globalThis.setTimeout = original;
  }
  return timers;
}

/** A store of the four required methods only, answering through `answer`, recording what was asked. */
function fourMethodStore(answer: <T>(value: T) => T | Promise<T>) {
  const asked: string[] = [];
  const store: RevocationStore = {
    add: () => answer(undefined),
    has: (jti) => {
      asked.push(`has ${jti}`);
      return answer(jti === 'revoked');
    },
    setCutoff: () => answer(undefined),
    cutoff: (sub) => {
      asked.push(`cutoff ${sub}`);
      return answer(sub === 'cut' ? 5000 : undefined);
    },
  };
  return { store, asked };
}

describe('revocation/guarded-store: GuardedStore', () => {
  it('answers a synchronous store synchronously: no promise, no timer', async () => {
    const memory = new MemoryRevocationStore();
    memory.add('revoked', Date.now() + 60_000);
    const guarded = new GuardedStore(memory, 1000, logger());
    let answers: unknown[] = [];
    const timers = await timersDuring(() => {
      answers = [guarded.isRevoked(payload()), guarded.isRevoked(payload({ jti: 'revoked' }))];
    });
    expect(answers).to.deep.equal([false, true]);
    expect(timers).to.equal(0);
  });

  it('bounds an asynchronous store by the time limit, with a timer', async () => {
    const { store } = fourMethodStore((value) => Promise.resolve(value));
    const guarded = new GuardedStore(store, 1000, logger());
    let answer: unknown;
    const timers = await timersDuring(() => {
      answer = guarded.isRevoked(payload());
    });
    expect(answer).to.be.instanceOf(Promise);
    expect(await answer).to.equal(false);
    expect(timers).to.equal(1);
    const hanging = new GuardedStore({ ...store, cutoff: () => new Promise(() => {}) }, 20, logger());
    const error = await Promise.resolve(hanging.isRevoked(payload())).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(LoginStoreUnavailableError);
  });

  it('asks a store with lookup() once per token, and a four-method store has() and cutoff()', async () => {
    const calls: string[] = [];
    const memory = new MemoryRevocationStore();
    const withLookup: RevocationStore = {
      add: (...args) => memory.add(...args),
      has: () => {
        throw new Error('has() must not be asked when lookup() exists');
      },
      setCutoff: (...args) => memory.setCutoff(...args),
      cutoff: () => {
        throw new Error('cutoff() must not be asked when lookup() exists');
      },
      lookup: (jti, sub) => {
        calls.push(`${jti} ${sub}`);
        return { revoked: false, cutoff: undefined };
      },
    };
    expect(new GuardedStore(withLookup, 1000, logger()).isRevoked(payload())).to.equal(false);
    expect(calls).to.deep.equal(['j u']);

    for (const answer of [<T>(value: T) => value, <T>(value: T) => Promise.resolve(value)]) {
      const { store, asked } = fourMethodStore(answer);
      const guarded = new GuardedStore(store, 1000, logger());
      expect(await guarded.isRevoked(payload({ jti: 'revoked' }))).to.equal(true);
      expect(await guarded.isRevoked(payload({ sub: 'cut', iat: 5 }))).to.equal(true);
      expect(await guarded.isRevoked(payload({ sub: 'cut', iat: 6 }))).to.equal(false);
      expect(await guarded.isRevoked(payload({ jti: undefined }))).to.equal(false);
      expect(asked).to.deep.equal([
        'has revoked',
        'cutoff u',
        'has j',
        'cutoff cut',
        'has j',
        'cutoff cut',
        'cutoff u',
      ]);
    }
  });

  it('turns a synchronous throw into LoginStoreUnavailableError, logs the outage once, and recovers', async () => {
    let failing = true;
    const memory = new MemoryRevocationStore();
    const store: RevocationStore = {
      add: (...args) => memory.add(...args),
      has: (...args) => memory.has(...args),
      setCutoff: (...args) => memory.setCutoff(...args),
      cutoff: (...args) => memory.cutoff(...args),
      lookup: (...args) => {
        if (failing) throw new Error('ECONNREFUSED');
        return memory.lookup(...args);
      },
    };
    const log = logger();
    const guarded = new GuardedStore(store, 1000, log);
    for (let i = 0; i < 3; i += 1) expect(() => guarded.isRevoked(payload())).to.throw(LoginStoreUnavailableError);
    expect(log.errors).to.have.length(1);
    failing = false;
    expect(guarded.isRevoked(payload())).to.equal(false);
    expect(log.warnings).to.deep.equal(['routing-controllers-login: revocation store available again']);
  });

  it('leaves no unhandled rejection when has() rejects and cutoff() throws', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store: RevocationStore = {
        add: () => undefined,
        has: () => Promise.reject(new Error('has failed')),
        setCutoff: () => undefined,
        cutoff: () => {
          throw new Error('cutoff failed');
        },
      };
      const error = await Promise.resolve(new GuardedStore(store, 1000, logger()).isRevoked(payload())).catch(
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(LoginStoreUnavailableError);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
