/**
 * One bench server (a child of `npm run bench`): the variant's app on an ephemeral
 * port, reporting its own CPU time, GC time and heap over IPC.
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
  /** process.cpuUsage(): user + system, microseconds. */
  cpuUs: number;
  /** Time spent in garbage collection, microseconds. */
  gcUs: number;
  heapUsedMb: number;
}

const variant = variantById(process.argv[2] ?? '');
const withoutLibrary = variant.source === 'none' || variant.source === 'floor';
const manager = withoutLibrary ? undefined : managerFor(variant, keysFromEnv());
const server = benchApp(manager as never, variant.source === 'floor').listen(0, '127.0.0.1');

let gcUs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcUs += entry.duration * 1000;
}).observe({ entryTypes: ['gc'] });

function usage(collect: boolean): ServerUsage {
  if (collect) globalThis.gc?.();
  const { user, system } = process.cpuUsage();
  return { cpuUs: user + system, gcUs, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

const listening = once(server, 'listening');
const profiler = new Profiler(server);

serve(async (request) => {
  if (request.cmd === 'port') {
    await listening;
    return (server.address() as AddressInfo).port;
  }
  if (request.cmd === 'usage') return usage(request.gc === true);
  if (request.cmd === 'profile-start') return profiler.start();
  if (request.cmd === 'profile-stop') return profiler.stop(String(request.dir), variant.id);
  throw new Error(`unknown request ${request.cmd}`);
});
