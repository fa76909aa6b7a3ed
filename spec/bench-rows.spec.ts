import { expect } from 'chai';
import { useContainer } from 'routing-controllers';
import request from 'supertest';
import { Container } from 'typedi';
import { benchApp } from '../bench/e2e/app';
import { keysFromEnv, makeKeys, managerFor } from '../bench/e2e/keys';
import { minterFor } from '../bench/e2e/mint';
import { disconnectRedisClients } from '../bench/e2e/redis';
import { type RowService, VARIANTS, type Variant } from '../bench/e2e/variants';

/** The requests wrk would send first for `variant` (`suffix`: the Lua script's unique suffix, by hand here). */
function firstRequests(variant: Variant, count: number): Record<string, string>[] {
  const mint = minterFor(variant);
  const { mode, headers } = variant.requests;
  return Array.from({ length: count }, (_, i) => {
    const sent = headers(mint, mode === 'fresh' || mode === 'cycle' ? i : 0);
    if (mode !== 'suffix') return sent;
    const last = Object.keys(sent).at(-1) as string;
    return { ...sent, [last]: `${sent[last]}${String(i).padStart(8, 'A')}` };
  });
}

/** The row's server's app, as server.ts builds it (its service's `env` in `process.env` meanwhile). */
async function serverApp(variant: Variant, service: RowService | undefined) {
  const saved = { ...process.env };
  Object.assign(process.env, service?.env);
  try {
    const extra = (await variant.serverOptions?.()) ?? {};
    return benchApp(
      variant.app,
      variant.app === 'library' ? (managerFor(variant, keysFromEnv(), extra) as never) : undefined,
    );
  } finally {
    process.env = saved;
  }
}

describe('bench rows: every row sends requests its server answers with the status it declares', () => {
  const outside = process.env.BENCH_KEYS;
  before(() => {
    process.env.BENCH_KEYS = JSON.stringify(makeKeys());
    // The bench's controllers are no typedi services: spec/helpers made typedi routing-controllers' container.
    useContainer(Container, { fallbackOnErrors: true });
  });
  after(() => {
    useContainer(Container);
    if (outside === undefined) delete process.env.BENCH_KEYS;
    else process.env.BENCH_KEYS = outside;
  });

  for (const variant of VARIANTS) {
    it(`${variant.id}: ${variant.label} → ${variant.status}`, async function () {
      const skipped = variant.skip?.();
      if (skipped) {
        console.log(`      (${variant.id} skipped: ${skipped})`);
        this.skip();
      }
      const service = await variant.service?.();
      try {
        const app = await serverApp(variant, service);
        for (const headers of firstRequests(variant, 3)) {
          const response = await request(app).get('/me').set(headers);
          expect(response.status, `${variant.id}: ${JSON.stringify(response.body)}`).to.equal(variant.status);
        }
      } finally {
        disconnectRedisClients();
        await service?.stop();
      }
    });
  }

  it('has the ES256 + DPoP, EdDSA and Redis rows, repeated and distinct, each with an id of its own', () => {
    const ids = VARIANTS.map((v) => v.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ['dpop-es256', 'header-eddsa', 'redis-hs256', 'redis-mirror-hs256']) {
      expect(ids).to.include.members([`${id}-repeated`, `${id}-distinct`]);
    }
  });

  it('sends a DPoP row a new proof on every request, the repeated row one token, the distinct a new one each', () => {
    const [repeated, distinct] = ['dpop-es256-repeated', 'dpop-es256-distinct'].map(
      (id) => VARIANTS.find((v) => v.id === id) as Variant,
    );
    const proofs = (sent: Record<string, string>[]) => new Set(sent.map((h) => h.dpop));
    const tokens = (sent: Record<string, string>[]) => new Set(sent.map((h) => h.authorization));
    const once = firstRequests(repeated as Variant, 3);
    expect(proofs(once).size).to.equal(3);
    expect(tokens(once).size).to.equal(1);
    const each = firstRequests(distinct as Variant, 3);
    expect(proofs(each).size).to.equal(3);
    expect(tokens(each).size).to.equal(3);
  });
});
