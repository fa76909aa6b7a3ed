import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (released just before use; good enough for a test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The redis-server binary, or `undefined` when this machine has none. */
export function redisServerBinary(): string | undefined {
  const candidate = process.env.REDIS_SERVER ?? 'redis-server';
  try {
    execFileSync(candidate, ['--version'], { stdio: 'ignore' });
    return candidate;
  } catch {
    return undefined;
  }
}

/** A throwaway redis-server of the test's own, which it may stop and start again on the same port. */
export class OwnRedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async start(binary: string): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(binary, await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves once it accepts connections. */
  restart(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 5000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as in a stalled host. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a frozen server go on (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the server (SIGKILL: no goodbye to clients, as in a crash). */
  stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

/**
 * A three-master Redis Cluster of the test's own (`.ci/redis-cluster start`, run from the repository's
 * root as `npm test` is), which it may freeze and let go on; `stop()` removes it.
 */
export class OwnRedisCluster {
  private constructor(
    readonly dir: string,
    readonly seeds: { host: string; port: number }[],
  ) {}

  static start(): OwnRedisCluster {
    const out = execFileSync('.ci/redis-cluster', ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const value = (name: string) => new RegExp(`^export ${name}=(.*)$`, 'm').exec(out)?.[1] ?? '';
    const seeds = value('REDIS_CLUSTER_NODES')
      .split(',')
      .map((seed) => ({ host: '127.0.0.1', port: Number(seed.slice(seed.lastIndexOf(':') + 1)) }));
    return new OwnRedisCluster(value('REDIS_CLUSTER_DIR'), seeds);
  }

  /** Sends `signal` to every node. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    for (const { port } of this.seeds) {
      process.kill(Number(readFileSync(`${this.dir}/${port}/redis.pid`, 'utf8').trim()), signal);
    }
  }

  stop(): void {
    execFileSync('.ci/redis-cluster', ['stop', this.dir], { stdio: 'ignore' });
  }
}
