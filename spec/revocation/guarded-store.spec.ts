import { expect } from 'chai';
import { GuardedStore } from '../../src/revocation/guarded-store';
import { MemoryRevocationStore } from '../../src/revocation/memory-store';
import type { RevocationLookup, RevocationStore } from '../../src/revocation/store';
import { LoginStoreUnavailableError } from '../../src/shared/errors';
import type { LoginLogger } from '../../src/shared/logger';

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

/** A store whose every method answers through `answer` (the memory store's answers, or what `lookup` is told to say). */
function storeAnswering(answer: <T>(value: T) => T | Promise<T>, lookup?: () => unknown): RevocationStore {
  const memory = new MemoryRevocationStore();
  return {
    revoke: (...args) => answer(memory.revoke(...args)),
    lookup: (...args) => answer((lookup ? lookup() : memory.lookup(...args)) as RevocationLookup),
    revokeAll: (...args) => answer(memory.revokeAll(...args)),
    startSession: (...args) => answer(memory.startSession(...args)),
    rotate: (...args) => answer(memory.rotate(...args)),
    endSession: (...args) => answer(memory.endSession(...args)),
    sessions: (...args) => answer(memory.sessions(...args)),
  };
}

describe('revocation/guarded-store: GuardedStore', () => {
  it('answers a synchronous store synchronously: no promise, no timer', async () => {
    const memory = new MemoryRevocationStore();
    memory.revoke('u', 'revoked', Date.now() + 60_000);
    const guarded = new GuardedStore(memory, 1000, logger());
    let answers: RevocationLookup[] = [];
    const timers = await timersDuring(() => {
      answers = [guarded.lookup('u', 'j', undefined), guarded.lookup('u', 'revoked', 'f')] as RevocationLookup[];
    });
    expect(answers.map((answer) => answer.revoked)).to.deep.equal([false, true]);
    expect(timers).to.equal(0);
  });

  it('bounds an asynchronous store by the time limit, with a timer', async () => {
    const guarded = new GuardedStore(
      storeAnswering((value) => Promise.resolve(value)),
      1000,
      logger(),
    );
    let answer: unknown;
    const timers = await timersDuring(() => {
      answer = guarded.lookup('u', 'j', undefined);
    });
    expect(answer).to.be.instanceOf(Promise);
    expect(await answer).to.include({ revoked: false });
    expect(timers).to.equal(1);
    const hanging = new GuardedStore(
      storeAnswering(() => new Promise(() => {})),
      20,
      logger(),
    );
    const error = await Promise.resolve(hanging.lookup('u', 'j', undefined)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(LoginStoreUnavailableError);
  });

  it('turns a synchronous throw into LoginStoreUnavailableError, logs the outage once, and recovers', async () => {
    let failing = true;
    const store = storeAnswering(<T>(value: T) => {
      if (failing) throw new Error('ECONNREFUSED');
      return value;
    });
    const log = logger();
    const guarded = new GuardedStore(store, 1000, log);
    for (let i = 0; i < 3; i += 1) {
      expect(() => guarded.lookup('u', 'j', undefined)).to.throw(LoginStoreUnavailableError);
    }
    expect(log.errors).to.have.length(1);
    failing = false;
    expect(guarded.lookup('u', 'j', undefined)).to.include({ revoked: false });
    expect(log.warnings).to.deep.equal(['routing-controllers-login: revocation store available again']);
  });

  it('treats an answer of the wrong shape as unavailable (never "not revoked"), logged once, without an outage', async () => {
    const malformed: unknown[] = [
      { revoked: false, cutoff: Number.NaN, session: undefined },
      { revoked: false, cutoff: Number.NEGATIVE_INFINITY, session: undefined },
      { revoked: false, cutoff: '5000', session: undefined },
      { revoked: 'no', cutoff: undefined, session: undefined },
      { revoked: false, cutoff: undefined, session: { generation: 1.5, refreshed: 0 } },
      { revoked: false, cutoff: undefined, session: { generation: 1 } },
      undefined,
    ];
    for (const answer of [<T>(value: T) => value, <T>(value: T) => Promise.resolve(value)]) {
      let next: unknown;
      const log = logger();
      const guarded = new GuardedStore(
        storeAnswering(answer, () => next),
        1000,
        log,
      );
      for (const value of malformed) {
        next = value;
        const error = await Promise.resolve()
          .then(() => guarded.lookup('u', 'j', 'f'))
          .catch((e: unknown) => e);
        expect(error, JSON.stringify(value)).to.be.instanceOf(LoginStoreUnavailableError);
      }
      expect(log.errors).to.have.length(1);
      expect(String(log.errors[0])).to.match(/not one the library wrote.*Logged once/);
      // Not an outage of the store: nothing to announce as "available again".
      next = { revoked: false, cutoff: undefined, session: undefined };
      expect(await guarded.lookup('u', 'j', 'f')).to.include({ revoked: false });
      expect(log.warnings).to.deep.equal([]);
    }
  });

  it('checks what rotate and sessions answer too', async () => {
    const base = storeAnswering((value) => value);
    const guarded = new GuardedStore(
      {
        ...base,
        rotate: () => ({ outcome: 'rotated', generation: -1 }) as never,
        sessions: () => [{ id: 1 }] as never,
      },
      1000,
      logger(),
    );
    const request = { family: 'f', generation: 0, now: 0, graceMs: 0, keepUntil: 1, endedUntil: 1, limit: 1 };
    for (const call of [() => guarded.rotate('u', request), () => guarded.sessions('u')]) {
      expect(await call().catch((e: unknown) => e)).to.be.instanceOf(LoginStoreUnavailableError);
    }
  });

  it('leaves no unhandled rejection when a store rejects', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const guarded = new GuardedStore(
        storeAnswering(() => Promise.reject(new Error('lookup failed'))),
        1000,
        logger(),
      );
      const error = await Promise.resolve(guarded.lookup('u', 'j', 'f')).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LoginStoreUnavailableError);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
