import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Child } from './child';
import type { RequestFile } from './minter';
import type { ServerUsage } from './server';
import { Wrk, type WrkSummary } from './wrk';

/** One timed block of one server, as the report uses it. */
export interface Sample {
  /** Requests per second the server answered in the timed window. */
  rps: number;
  /** The server's own CPU time (every thread) per request in the window, µs. */
  cpuUs: number;
  gcUs: number;
  /** Share of the server's CPU that other processes took in the window, % (−1 when unknown). */
  otherCpuPct: number;
  /** How busy the load generator's CPU was in the window, % (−1 when unknown). */
  loaderBusyPct: number;
  /** Requests sent with a token already sent in this run (a `fresh` file ran out): 0 for a valid block. */
  reused: number;
}

/** A server of the bench and where it listens. */
export interface Target {
  id: string;
  server: Child;
  port: number;
  /** The status every response must have. */
  status: number;
  /** Requests made so far to this server, where a `cycle` or `suffix` run goes on from. */
  sent: number;
  /** Its last block's req/s, to size the next block's tokens. */
  lastRps: number;
}

export interface BlockOptions {
  script: string;
  connections: number;
  /** Untimed load immediately before the timed window, s. */
  warmSeconds: number;
  /** The timed window, s; 0 for a block that only warms. */
  seconds: number;
  serverCpu: number | undefined;
  loaderCpu: number | undefined;
}

/** A CPU's busy time at the two ends of a window. */
type Busy = [number | undefined, number | undefined];

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

const usage = (target: Target) => target.server.request<ServerUsage>({ cmd: 'usage' });

/** Waits until the server has answered a request of this run (wrk reads its file first). */
async function loadArrived(target: Target, before: number): Promise<ServerUsage> {
  for (let waited = 0; waited < 30_000; waited += 10) {
    const now = await usage(target);
    if (now.requests > before) return now;
    await sleep(10);
  }
  throw new Error(`${target.id}: no request arrived within 30 s of starting wrk`);
}

function check(target: Target, summary: WrkSummary): void {
  const socket = summary.connect + summary.read + summary.write + summary.timeout;
  const wrong = target.status < 400 ? summary.status : summary.requests - summary.status;
  if (socket > 0 || wrong > 0 || summary.requests === 0) {
    throw new Error(
      `${target.id}: ${summary.requests} responses, ${wrong} without status ${target.status}, ${socket} socket errors ` +
        `or timeouts: the bench is invalid`,
    );
  }
}

/** A timed window: the server's readings and both CPUs' busy time at its two ends. */
interface Window {
  before: ServerUsage;
  after: ServerUsage;
  server: Busy;
  loader: Busy;
}

async function timedWindow(target: Target, options: BlockOptions): Promise<Window> {
  const server: Busy = [cpuBusyUs(options.serverCpu), undefined];
  const loader: Busy = [cpuBusyUs(options.loaderCpu), undefined];
  const before = await usage(target);
  await sleep(options.seconds * 1000);
  const after = await usage(target);
  server[1] = cpuBusyUs(options.serverCpu);
  loader[1] = cpuBusyUs(options.loaderCpu);
  return { before, after, server, loader };
}

function sampleOf({ before, after, server, loader }: Window, reused: number): Sample {
  const requests = after.requests - before.requests;
  const wallUs = after.atUs - before.atUs;
  const cpuUs = after.cpuUs - before.cpuUs;
  // /proc/stat counts in 10 ms ticks: clamped to what a CPU can be.
  const share = ([a, b]: Busy, minus: number) =>
    a === undefined || b === undefined ? -1 : Math.min(100, Math.max(0, ((b - a - minus) / wallUs) * 100));
  return {
    rps: (requests / wallUs) * 1e6,
    cpuUs: cpuUs / requests,
    gcUs: (after.gcUs - before.gcUs) / requests,
    otherCpuPct: share(server, cpuUs),
    loaderBusyPct: share(loader, 0),
    reused,
  };
}

/**
 * One block: wrk starts, the server gets `warmSeconds` of untimed load, then the timed
 * window is read from the server's own counters at its two ends (CPU, GC, requests, time),
 * while the load runs, so wrk's start and stop fall outside it. Without a timed window
 * (`seconds` 0) it only warms, and returns undefined.
 */
export async function block(target: Target, file: RequestFile, options: BlockOptions): Promise<Sample | undefined> {
  const start = await usage(target);
  const wrk = new Wrk({
    script: options.script,
    port: target.port,
    file,
    offset: target.sent,
    connections: options.connections,
    cpu: options.loaderCpu,
    maxSeconds: options.warmSeconds + options.seconds + 60,
  });
  let window: Window | undefined;
  try {
    const arrived = await loadArrived(target, start.requests);
    await sleep(options.warmSeconds * 1000);
    const warmed = await usage(target);
    target.lastRps = ((warmed.requests - arrived.requests) / (warmed.atUs - arrived.atUs)) * 1e6;
    if (options.seconds > 0) window = await timedWindow(target, options);
  } catch (error) {
    await wrk.stop().catch(() => undefined);
    throw error;
  }
  const summary = await wrk.stop();
  check(target, summary);
  target.sent += summary.sent;
  if (!window) return undefined;
  const sample = sampleOf(window, file.mode === 'fresh' ? Math.max(0, summary.sent - file.lines) : 0);
  target.lastRps = sample.rps;
  return sample;
}
