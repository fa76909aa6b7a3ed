/**
 * npm run bench: what verification costs per request, against the goals below.
 * Timing lives here, never in tests. Exits 1 when a goal is missed.
 */
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import { LoginManager } from 'routing-controllers-login';

const SECRET = 'bench-secret-that-is-at-least-32-bytes-long';

/** Runs `fn` for about `ms` milliseconds after a warm-up; returns microseconds per call. */
function measure(fn: () => unknown, ms = 1000): number {
  for (let i = 0; i < 2000; i += 1) fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 200; i += 1) fn();
    calls += 200;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1000 / calls;
}

async function measureAsync(fn: () => Promise<unknown>, rounds = 20_000): Promise<number> {
  for (let i = 0; i < 1000; i += 1) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / rounds;
}

async function main(): Promise<void> {
  const user = { email: 'bench@example.com' };
  const manager = new LoginManager({ secret: SECRET, tokenUrl: '/t', userLoader: () => user });
  const token = manager.createAccessToken({ data: { sub: 'bench@example.com' }, scopes: ['read'] });
  const fakeRequest = () => ({ headers: { authorization: `Bearer ${token}` } }) as unknown as IncomingMessage;
  const action = () => ({ request: fakeRequest(), response: { headersSent: false, setHeader() {} } });

  const rawStringVerify = measure(() => jwt.verify(token, SECRET, { algorithms: ['HS256'] }), 500);
  const hasScopes = measure(() => manager.hasScopes(token, ['read']));
  const perRequest = await measureAsync(async () => {
    const a = action();
    await manager.authorizationChecker(a, []);
    await manager.currentUserChecker(a);
  });
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 50_000; i += 1) await manager.authorizationChecker(action(), []);
  globalThis.gc?.();
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

  const rows: Array<[string, number, number | undefined]> = [
    ['jsonwebtoken.verify, raw string secret (what we avoid), µs', rawStringVerify, undefined],
    ['manager.hasScopes (verify with pre-parsed key), µs', hasScopes, 50],
    ['authorizationChecker + currentUserChecker, one request, µs', perRequest, 100],
    ['heap growth after 50k requests, MB (with --expose-gc)', heapGrowthMb, globalThis.gc ? 5 : undefined],
  ];
  let missed = 0;
  for (const [name, value, goal] of rows) {
    const verdict = goal === undefined ? '' : value <= goal ? `ok (goal ≤ ${goal})` : `MISSED (goal ≤ ${goal})`;
    if (goal !== undefined && value > goal) missed += 1;
    console.log(`${name.padEnd(62)} ${value.toFixed(2).padStart(9)}  ${verdict}`);
  }
  process.exitCode = missed ? 1 : 0;
}

void main();
