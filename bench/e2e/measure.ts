import { readFileSync } from 'node:fs';
import type { Child } from './child';
import type { LoadResult } from './loader';
import type { ServerUsage } from './server';

/** One timed run of one variant, as the report uses it. */
export interface Sample {
  rps: number;
  cpuUsPerRequest: number;
  gcUsPerRequest: number;
  p99Ms: number;
  loaderCpuPct: number;
  /** CPU time other processes took on the server's CPU, percent of the run (-1 when unknown). */
  otherCpuPct: number;
  mintedInline: number;
}

export interface Target {
  variant: string;
  server: Child;
  port: number;
}

/** Busy time of one CPU so far, microseconds, from /proc/stat; undefined where there is none. */
function cpuBusyUs(cpu: number | undefined): number | undefined {
  if (cpu === undefined) return undefined;
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${cpu} `));
    if (!line) return undefined;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    // USER_HZ is 100 on every Linux this runs on.
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10_000;
  } catch {
    return undefined;
  }
}

/** Drives `target` for `seconds`, measuring the server's own CPU and GC time around the run. */
export async function measure(
  target: Target,
  loader: Child,
  run: { seconds: number; connections: number; expected: number; serverCpu: number | undefined },
): Promise<Sample> {
  const before = await target.server.request<ServerUsage>({ cmd: 'usage' });
  const busyBefore = cpuBusyUs(run.serverCpu);
  const load = await loader.request<LoadResult>({
    cmd: 'run',
    variant: target.variant,
    port: target.port,
    seconds: run.seconds,
    connections: run.connections,
    expected: run.expected,
  });
  const busyAfter = cpuBusyUs(run.serverCpu);
  const after = await target.server.request<ServerUsage>({ cmd: 'usage' });
  if (load.failures > 0 || load.requests === 0) {
    throw new Error(`${target.variant}: ${load.failures} of ${load.requests} requests failed; the bench is invalid`);
  }
  const serverCpuUs = after.cpuUs - before.cpuUs;
  const other =
    busyBefore === undefined || busyAfter === undefined
      ? -1
      : Math.max(0, (busyAfter - busyBefore - serverCpuUs) / (load.seconds * 1e4));
  return {
    rps: load.requests / load.seconds,
    cpuUsPerRequest: serverCpuUs / load.requests,
    gcUsPerRequest: (after.gcUs - before.gcUs) / load.requests,
    p99Ms: load.p99Ms,
    loaderCpuPct: load.loaderCpuPct,
    otherCpuPct: other,
    mintedInline: load.mintedInline,
  };
}
