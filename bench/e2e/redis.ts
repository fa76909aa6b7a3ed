/**
 * Redis rows: a throwaway redis-server the orchestrator starts on a free port for the row
 * (inheriting its CPU, the load generator's, when pinned) and stops after it, and the row's
 * server's RedisRevocationStore on it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { type LoginOptions, RedisRevocationStore, type RedisRevocationStoreOptions } from 'routing-controllers-login';
import type { RowService } from './types';

const BINARY = process.env.BENCH_REDIS_SERVER ?? 'redis-server';

/** Why the Redis rows cannot run here, or `undefined`. */
export function redisMissing(): string | undefined {
  const found = spawnSync(BINARY, ['--version'], { stdio: 'ignore' });
  return found.error || found.status !== 0
    ? `${BINARY} is not installed (BENCH_REDIS_SERVER names another)`
    : undefined;
}

/**
 * Why the mirrored rows cannot run, or `undefined`: they need RedisRevocationStore's `mirror`
 * option (being built), which is there when the store no longer refuses it as unknown.
 */
export function mirrorMissing(): string | undefined {
  try {
    new RedisRevocationStore({ eval: async () => null } as never, { mirror: true } as RedisRevocationStoreOptions);
  } catch (error) {
    if (/unknown option\(s\) mirror/.test(String((error as Error).message))) {
      return 'RedisRevocationStore has no `mirror` option yet';
    }
  }
  return redisMissing();
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Resolves once the server says it accepts connections; rejects if it exits first. */
function ready(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    server.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`${BINARY} exited with ${code}:\n${output}`)));
    server.once('error', reject);
  });
}

/** A redis-server of its own on a free port, nothing saved: `BENCH_REDIS_URL` for the row's server. */
export async function redisService(): Promise<RowService> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await ready(server);
  return {
    env: { BENCH_REDIS_URL: `redis://127.0.0.1:${port}` },
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** The clients `redisStore` made in this process (a bench server exits with its own; a spec closes them). */
const clients = new Set<Redis>();

/** Disconnects every client `redisStore` made in this process, so nothing keeps it alive. */
export function disconnectRedisClients(): void {
  for (const client of clients) client.disconnect();
  clients.clear();
}

/** The row's server's store: on the row's redis-server, mirrored or not. */
export function redisStore(mirror: boolean): () => Promise<Partial<LoginOptions>> {
  return async () => {
    const url = process.env.BENCH_REDIS_URL;
    if (!url) throw new Error('BENCH_REDIS_URL is not set: a Redis row is started with its redis-server');
    const client = new Redis(url);
    clients.add(client);
    await client.ping();
    const options = (mirror ? { mirror: true } : {}) as RedisRevocationStoreOptions;
    return { revocationStore: new RedisRevocationStore(client, options) };
  };
}
