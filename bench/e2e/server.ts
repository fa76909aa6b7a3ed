/**
 * One bench server (a child of `npm run bench`, pinned to the server CPU): the row's app on
 * an ephemeral port, reporting its own CPU time, GC time, requests and heap over IPC, each
 * reading taken at one instant in this process, so a window between two readings is exact.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { benchApp } from './app';
import { serve } from './child';
import { keysFromEnv, managerFor } from './keys';
import { Profiler } from './profiler';
import { variantById } from './variants';

/** What the server reports: cumulative since it started. */
export interface ServerUsage {
  /** process.cpuUsage(): user + system of every thread, microseconds. */
  cpuUs: number;
  /** Time spent in garbage collection, microseconds. */
  gcUs: number;
  /** Requests received. */
  requests: number;
  /** process.hrtime, microseconds. */
  atUs: number;
  heapUsedMb: number;
}

async function start() {
  const variant = variantById(process.argv[2] ?? '');
  const manager =
    variant.app === 'library' ? managerFor(variant, keysFromEnv(), (await variant.serverOptions?.()) ?? {}) : undefined;
  const server = benchApp(variant.app, manager as never).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { variant, server };
}

const started = start();
let requests = 0;
let gcUs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcUs += entry.duration * 1000;
}).observe({ entryTypes: ['gc'] });

function usage(collect: boolean): ServerUsage {
  if (collect) globalThis.gc?.();
  const { user, system } = process.cpuUsage();
  return {
    cpuUs: user + system,
    gcUs,
    requests,
    atUs: Number(process.hrtime.bigint() / 1000n),
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

let profiler: Profiler | undefined;

serve(async (request) => {
  const { variant, server } = await started;
  if (request.cmd === 'port') {
    server.on('request', () => {
      requests += 1;
    });
    return (server.address() as AddressInfo).port;
  }
  if (request.cmd === 'usage') return usage(request.gc === true);
  // Made on demand: an inspector session only in the servers being profiled.
  if (request.cmd === 'profile-start') {
    profiler ??= new Profiler(server);
    return profiler.start();
  }
  if (request.cmd === 'profile-stop') return profiler?.stop(String(request.dir), variant.id);
  throw new Error(`unknown request ${request.cmd}`);
});
