import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import fc from 'fast-check';
import { Get, JsonController, Post } from 'routing-controllers';
import { LoggedIn, LoginError, LoginManager, User } from 'routing-controllers-login';
import { Service } from 'typedi';
import { appWith } from '../helpers/app';
import { forge, HS256_SECRET, hmac, nowSeconds } from '../helpers/keys';
import { koaAppWith } from '../helpers/koa';

/** Fixed, so every run tries the same inputs and a failure names a reproducible counterexample. */
const SEED = 20_261_126;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

@Service()
@JsonController('/fuzz')
class FuzzController {
  @LoggedIn()
  @Get('/')
  read(@User() user: { sub: string }) {
    return { sub: user.sub };
  }

  @LoggedIn()
  @Post('/')
  write() {
    return { written: true };
  }
}

/** Our own reading of "signed by the configured key", independent of the library: HS256 over header.payload. */
function signedByOurKey(token: string): boolean {
  const [header, payload, signature, extra] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || extra !== undefined) return false;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'HS256') return false;
  } catch {
    return false;
  }
  const expected = createHmac('sha256', HS256_SECRET).update(`${header}.${payload}`).digest();
  const actual = Buffer.from(signature, 'base64url');
  return (
    actual.length === expected.length && timingSafeEqual(actual, expected) && signature === actual.toString('base64url')
  );
}

/** What an accepted token must satisfy, checked independently of the library. */
function acceptableClaims(token: string): boolean {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
  const now = nowSeconds();
  return (
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    typeof payload.sub === 'string' &&
    payload.sub !== '' &&
    typeof payload.exp === 'number' &&
    payload.exp > now - 1 &&
    (payload.nbf === undefined || (typeof payload.nbf === 'number' && payload.nbf <= now + 1))
  );
}

const base64url = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')),
});
const segment = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');

/** Ways to damage a valid token: each keeps some parts and breaks others. */
const mutation = (token: string) => {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return fc.oneof(
    fc
      .tuple(fc.nat(token.length - 1), fc.constantFrom('A', '-', '_', '.', '=', '0'))
      .map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
    fc.nat(token.length).map((n) => token.slice(0, n)),
    fc.tuple(fc.nat(token.length), base64url).map(([i, s]) => token.slice(0, i) + s + token.slice(i)),
    fc
      .dictionary(fc.constantFrom('alg', 'kid', 'typ', 'crit', 'jku', 'jwk', 'x5u', 'b64'), fc.jsonValue())
      .map((h) => `${segment(h)}.${payload}.${signature}`),
    fc.jsonValue().map((p) => `${header}.${segment(p)}.${signature}`),
    fc.constant(`${payload}.${header}.${signature}`),
    fc.constant(`${header}.${payload}`),
    fc.constant(`${header}..${signature}`),
  );
};

/** Hostile values for each claim, from plausible to absurd. */
const claimValues = {
  sub: fc.oneof(fc.string(), fc.integer(), fc.constant(''), fc.constant('mallory')),
  exp: fc.oneof(
    fc.integer({ min: -10, max: 900 }).map((d) => nowSeconds() + d),
    fc.double(),
    fc.string(),
    fc.constant(1e20),
    fc.constant(null),
  ),
  nbf: fc.oneof(
    fc.integer({ min: -100, max: 100 }).map((d) => nowSeconds() + d),
    fc.string(),
  ),
  iat: fc.oneof(
    fc.integer({ min: -100, max: 100 }).map((d) => nowSeconds() + d),
    fc.double(),
  ),
  scopes: fc.oneof(fc.array(fc.string()), fc.string()),
  type: fc.constantFrom('access', 'refresh', 'id', 7),
  __proto__: fc.jsonValue(),
  constructor: fc.jsonValue(),
};

/**
 * Payloads signed with our key: half start from valid claims with one claim replaced by
 * a hostile value (so acceptance is common enough to test), half are random throughout.
 */
const signedPayload = fc
  .oneof(
    fc
      .constantFrom(...Object.keys(claimValues))
      .chain((claim) => claimValues[claim as keyof typeof claimValues].map((value) => ({ [claim]: value })))
      .map((override) => ({ sub: 'mallory', iat: nowSeconds(), exp: nowSeconds() + 60, ...override })),
    fc.record(claimValues, { requiredKeys: [] }),
  )
  .map((claims) => JSON.parse(JSON.stringify(claims)));

/** The same properties through express and Koa (fewer runs there: the inputs are the same, only the adapter differs). */
const SERVERS = [
  {
    name: 'express',
    runs: RUNS,
    serve: (manager: LoginManager<{ sub: string }>): RequestListener =>
      appWith(manager, { controllers: [FuzzController] }),
  },
  {
    name: 'koa',
    runs: Math.ceil(RUNS / 3),
    serve: (manager: LoginManager<{ sub: string }>): RequestListener =>
      koaAppWith(manager, { controllers: [FuzzController] }).callback(),
  },
];

for (const { name, runs, serve } of SERVERS)
  describe(`fuzz [${name}]: thousands of hostile inputs through a real app (fast-check seed ${SEED}, ${runs} runs each)`, function () {
    this.timeout(180_000);
    let server: Server;
    let url = '';
    const manager = new LoginManager<{ sub: string }>({
      secret: HS256_SECRET,
      tokenUrl: '/t',
      useCookie: true,
      userLoader: (sub) => (sub === 'mallory' || sub.startsWith('user') ? { sub } : null),
      logger: { error: () => {}, warn: () => {} },
    });
    const valid = [
      manager.createAccessToken({ data: { sub: 'user-1' } }),
      manager.createAccessToken({ data: { sub: 'user-2', role: 'x' }, scopes: ['a'] }),
      manager.createRefreshToken({ data: { sub: 'user-3' } }),
    ];

    before(async () => {
      server = createServer(serve(manager));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fuzz`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    /** The status for one request; anything but 200/401/403 fails the property. */
    const status = async (headers: Record<string, string>, method = 'GET') => {
      const response = await fetch(url, { method, headers });
      await response.arrayBuffer();
      expect([200, 401, 403], `${method} ${JSON.stringify(headers).slice(0, 300)}`).to.include(response.status);
      return response.status;
    };

    it('never answers 500 to a mutated token, and accepts only what our key signed', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...valid).chain((token) => mutation(token)),
          async (token) => {
            const code = await status({ authorization: `Bearer ${token}` });
            if (code === 200) expect(signedByOurKey(token) && acceptableClaims(token), token).to.equal(true);
          },
        ),
        { seed: SEED, numRuns: runs },
      );
    });

    it('never answers 500 to a random Authorization or Cookie header', async () => {
      const printable = fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 300,
      });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            printable,
            printable.map((s) => `Bearer ${s}`),
          ),
          printable,
          fc.boolean(),
          async (auth, cookie, post) => {
            const headers = { authorization: auth.trim(), cookie: `access-token=${cookie.trim()}` };
            const code = await status(headers, post ? 'POST' : 'GET');
            expect(code, JSON.stringify(headers)).not.to.equal(200);
          },
        ),
        { seed: SEED, numRuns: runs },
      );
    });

    it('accepts a payload signed with our key only when its claims are valid, and never pollutes a prototype', async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(signedPayload, async (payload) => {
          const token = forge({ alg: 'HS256', typ: 'JWT' }, payload, hmac(HS256_SECRET));
          const code = await status({ authorization: `Bearer ${token}` });
          if (code === 200) {
            accepted += 1;
            expect(acceptableClaims(token), JSON.stringify(payload)).to.equal(true);
          }
        }),
        { seed: SEED, numRuns: runs },
      );
      // The property is only worth something if both branches ran.
      expect(accepted).to.be.within(1, runs - 1);
      expect(({} as Record<string, unknown>).constructor).to.equal(Object);
      expect(Object.keys(Object.prototype)).to.deep.equal([]);
    });

    // In process, without a server: once is enough.
    if (name === 'express')
      it('rejects getCurrentUser only with LoginErrors, never a crash (in-process, 5× the runs)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.string(),
              fc.constantFrom(...valid).chain((token) => mutation(token)),
            ),
            async (token) => {
              const outcome = await manager.getCurrentUser(token).then(
                () => 'accepted',
                (error: unknown) => error,
              );
              if (outcome === 'accepted') expect(signedByOurKey(token) && acceptableClaims(token)).to.equal(true);
              else expect(outcome).to.be.instanceOf(LoginError);
            },
          ),
          { seed: SEED, numRuns: runs * 5 },
        );
      });
  });
