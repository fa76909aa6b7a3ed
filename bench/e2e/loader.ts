/**
 * The load generator (a child of `npm run bench`, pinned to its own CPU): drives one
 * variant's server with autocannon and reports throughput, p99 and its own CPU use.
 */
import autocannon from 'autocannon';
import { serve } from './child';
import { keysFromEnv } from './keys';
import { TokenSupply } from './tokens';
import { variantById } from './variants';

/** One measurement, as the orchestrator gets it. */
export interface LoadResult {
  requests: number;
  seconds: number;
  p99Ms: number;
  /** Responses other than 2xx, and socket errors: any makes the run invalid. */
  failures: number;
  /** The load generator's own CPU use over the run, percent of one CPU. */
  loaderCpuPct: number;
  mintedInline: number;
}

interface RunRequest {
  variant: string;
  port: number;
  seconds: number;
  connections: number;
  /** How many requests to mint tokens for ahead of time (distinct variants). */
  expected: number;
}

const keys = keysFromEnv();
const supplies = new Map<string, TokenSupply>();

function supplyFor(id: string): TokenSupply {
  let supply = supplies.get(id);
  if (!supply) {
    const variant = variantById(id);
    supply = new TokenSupply(variant, keys);
    supplies.set(id, supply);
  }
  return supply;
}

async function run(request: RunRequest): Promise<LoadResult> {
  const variant = variantById(request.variant);
  const supply = variant.source === 'none' || variant.source === 'floor' ? undefined : supplyFor(variant.id);
  supply?.prepare(request.expected);
  const inlineBefore = supply?.mintedInline ?? 0;
  const fixed = supply && variant.tokens === 'repeated' ? supply.headers(supply.next()) : {};
  const dynamic = supply && variant.tokens === 'distinct';
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: `http://127.0.0.1:${request.port}`,
    connections: request.connections,
    duration: request.seconds,
    requests: [
      {
        method: 'GET',
        path: '/me',
        headers: fixed,
        ...(dynamic
          ? { setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...supply.headers(supply.next()) } }) }
          : {}),
      },
    ],
  });
  const wallUs = Number(process.hrtime.bigint() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    loaderCpuPct: ((cpu.user + cpu.system) / wallUs) * 100,
    mintedInline: (supply?.mintedInline ?? 0) - inlineBefore,
  };
}

serve((request) => {
  if (request.cmd === 'run') return run(request as unknown as RunRequest);
  if (request.cmd === 'prepare') return supplyFor(String(request.variant)) && true;
  throw new Error(`unknown request ${request.cmd}`);
});
