/**
 * The in-process micro-bench: what the checkers cost without HTTP around them.
 * Runs in the `npm run bench` process itself (started with --expose-gc).
 */
import 'reflect-metadata';
import jwt from 'jsonwebtoken';
import { LoginManager } from 'routing-controllers-login';
import { type GoalLine, WORDS } from './e2e/report';
import { exchangeWith } from './node-http';
import { markdownTable } from './stats';

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

/** The section's text and goals (timings judged only when `judge`: not when the control row says the run is noisy). */
export async function runMicro(judge: boolean): Promise<{ text: string; goals: GoalLine[] }> {
  const user = { email: 'bench@example.com' };
  const options = { secret: SECRET, tokenUrl: '/t', userLoader: () => user };
  const manager = new LoginManager(options);
  const uncached = new LoginManager({ ...options, tokenCacheSize: 0 });
  const token = manager.createAccessToken({ data: { sub: 'bench@example.com' }, scopes: ['read'] });
  const authorization = `Bearer ${token}`;
  const roles: unknown[] = [];

  const rawStringVerify = measure(() => jwt.verify(token, SECRET, { algorithms: ['HS256'] }), 500);
  const verify = measure(() => uncached.hasScopes(token, ['read']));
  const cachedVerify = measure(() => manager.hasScopes(token, ['read']));
  // What routing-controllers calls for @LoggedIn() + @CurrentUser(), on real Node request and response objects.
  const perRequest = await measureAsync(async () => {
    const action = exchangeWith({ authorization });
    await manager.authorizationChecker(action, roles);
    await manager.currentUserChecker(action);
  });
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 50_000; i += 1) await manager.authorizationChecker(exchangeWith({ authorization }), roles);
  globalThis.gc?.();
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

  const rows: Array<[string, number, number | undefined]> = [
    ['jsonwebtoken.verify, raw string secret (what we avoid), µs', rawStringVerify, undefined],
    ['verify HS256: signature and claims (tokenCacheSize 0), µs', verify, 50],
    ['verify HS256, token in the verified-token cache, µs', cachedVerify, 5],
    ['authorizationChecker + currentUserChecker, one request, µs', perRequest, 100],
    ['heap growth after 50k requests, MB (with --expose-gc)', heapGrowthMb, globalThis.gc ? 5 : undefined],
  ];
  const goals: GoalLine[] = [];
  const table = rows.map(([name, value, goal]) => {
    if (goal === undefined) return [name, value.toFixed(2), ''];
    // The heap growth is not a timing: noise cannot move it.
    const verdict = !judge && !name.startsWith('heap') ? 'not judged' : value <= goal ? 'met' : 'missed';
    goals.push({ name: `${name} ≤ ${goal}`, verdict });
    return [name, value.toFixed(2), `${WORDS[verdict]} (≤ ${goal})`];
  });
  const text = [
    '## In process: the checkers without HTTP',
    '',
    markdownTable(['measure', 'value', 'goal'], table),
  ].join('\n');
  return { text, goals };
}
