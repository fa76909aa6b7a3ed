/**
 * The memory check (a child of `npm run bench`, run with --expose-gc): a million
 * distinct tokens through the manager's checkers, heap after GC sampled along the way.
 * Memory must stay bounded by the verified-token cache's size and be flat afterwards.
 */
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { LoginManager } from 'routing-controllers-login';
import { serve } from './e2e/child';
import { makeKeys, USER } from './e2e/keys';

export interface HeapResult {
  tokens: number;
  /** [tokens so far, heap used after GC in MB] */
  samples: Array<[number, number]>;
  seconds: number;
}

const heapMb = (): number => {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function run(tokens: number): Promise<HeapResult> {
  if (!globalThis.gc) throw new Error('run with --expose-gc');
  const users = new Map([[USER.email, USER]]);
  const manager = new LoginManager({ secret: makeKeys().secret, tokenUrl: '/t', userLoader: (sub) => users.get(sub) });
  const response = { headersSent: false, setHeader() {} };
  const request = (authorization: string) =>
    ({ headers: { authorization }, rawHeaders: ['Authorization', authorization] }) as unknown as IncomingMessage;
  const samples: Array<[number, number]> = [[0, heapMb()]];
  const every = Math.max(1, Math.floor(tokens / 10));
  const started = process.hrtime.bigint();
  for (let i = 1; i <= tokens; i += 1) {
    const action = { request: request(`Bearer ${manager.createAccessToken({ data: { sub: USER.email } })}`), response };
    if (!(await manager.authorizationChecker(action, []))) throw new Error('a valid token was refused');
    if (i % every === 0) samples.push([i, heapMb()]);
  }
  return { tokens, samples, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

serve((request) => {
  if (request.cmd === 'run') return run(Number(request.tokens));
  throw new Error(`unknown request ${request.cmd}`);
});
