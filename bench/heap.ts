/**
 * The memory check (a child of `npm run bench`, run with --expose-gc): a million
 * distinct tokens through the manager's checkers, heap after GC sampled along the way.
 * Memory must stay bounded by the verified-token cache's size and be flat afterwards.
 */
import 'reflect-metadata';
import { LoginManager } from 'routing-controllers-login';
import { serve } from './e2e/child';
import { makeKeys, USER } from './e2e/keys';
import { CACHE_SIZE, type HeapResult } from './heap-report';
import { exchangeWith } from './node-http';

const heapMb = (): number => {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function run(tokens: number): Promise<HeapResult> {
  if (!globalThis.gc) throw new Error('run with --expose-gc');
  const users = new Map([[USER.email, USER]]);
  const manager = new LoginManager({
    secret: makeKeys().secret,
    tokenUrl: '/t',
    userLoader: (sub) => users.get(sub),
    tokenCacheSize: CACHE_SIZE,
  });
  const samples: Array<[number, number]> = [[0, heapMb()]];
  const every = Math.max(1, Math.floor(tokens / 10));
  // Also once the cache is surely full: the heap there is what the cache costs, and must not grow after.
  const full = 2 * CACHE_SIZE;
  const started = process.hrtime.bigint();
  for (let i = 1; i <= tokens; i += 1) {
    const action = exchangeWith({
      authorization: `Bearer ${manager.createAccessToken({ data: { sub: USER.email } })}`,
    });
    if (!(await manager.authorizationChecker(action, []))) throw new Error('a valid token was refused');
    if (i % every === 0 || i === full) samples.push([i, heapMb()]);
  }
  return { tokens, samples, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

serve((request) => {
  if (request.cmd === 'run') return run(Number(request.tokens));
  throw new Error(`unknown request ${request.cmd}`);
});
