import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Child, canPin } from './child';
import { makeKeys } from './keys';
import { measure, type Sample, type Target } from './measure';
import type { ServerUsage } from './server';
import type { Variant } from './variants';

export interface EndToEndOptions {
  variants: readonly Variant[];
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Variant ids (comma-separated) whose servers are CPU-profiled over the rounds, into `profileDir`. */
  profile?: string;
  profileDir: string;
}

/** A variant's run and the no-auth baseline measured around it. */
export interface Paired {
  sample: Sample;
  base: Sample;
}

/** The mean of two runs, field by field. */
function meanSample(a: Sample, b: Sample): Sample {
  const mean = {} as Record<keyof Sample, number>;
  for (const key of Object.keys(a) as Array<keyof Sample>) mean[key] = (a[key] + b[key]) / 2;
  return mean;
}

export interface EndToEndResult {
  /** Per variant, each run with the mean of the no-auth runs just before and after it. */
  samples: Map<string, Paired[]>;
  /** Heap after GC of each server once every round ran, MB. */
  heapMb: Map<string, number>;
  pinned: { server: number; loader: number } | undefined;
}

/** Starts a server per variant and one load generator, warms each up, then runs interleaved rounds. */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndResult> {
  const pinned = canPin() && cpus().length >= 2 ? { server: 0, loader: 1 } : undefined;
  const env = { ...process.env, BENCH_KEYS: JSON.stringify(makeKeys()) };
  const targets: Target[] = [];
  const loader = new Child(join(__dirname, 'loader.js'), [], { cpu: pinned?.loader, env });
  try {
    for (const variant of options.variants) {
      const server = new Child(join(__dirname, 'server.js'), [variant.id], {
        cpu: pinned?.server,
        nodeFlags: ['--expose-gc'],
        env,
      });
      targets.push({ variant: variant.id, server, port: await server.request<number>({ cmd: 'port' }) });
      // Mint the fixed token pools now, before anything is timed.
      await loader.request({ cmd: 'prepare', variant: variant.id });
    }
    const lastRps = new Map<string, number>();
    const once = async (target: Target, seconds: number): Promise<Sample> => {
      const expected = Math.ceil((lastRps.get(target.variant) ?? 2000) * seconds * 1.3);
      const sample = await measure(target, loader, {
        seconds,
        connections: options.connections,
        expected,
        serverCpu: pinned?.server,
      });
      lastRps.set(target.variant, sample.rps);
      return sample;
    };
    for (const target of targets) await once(target, options.warmupSeconds);
    const profiled = targets.filter((t) => options.profile?.split(',').includes(t.variant));
    if (profiled.length) mkdirSync(options.profileDir, { recursive: true });
    for (const target of profiled) await target.server.request({ cmd: 'profile-start' });
    const [base, ...others] = targets as [Target, ...Target[]];
    const samples = new Map<string, Paired[]>(targets.map((t) => [t.variant, []]));
    const record = (target: Target, sample: Sample, baseline: Sample) =>
      samples.get(target.variant)?.push({ sample, base: baseline });
    for (let round = 0; round < options.rounds; round += 1) {
      // No-auth runs before and after every variant, so each ratio compares runs seconds apart;
      // each round starts one variant later, so no variant always runs first or last.
      let before = await once(base, options.seconds);
      record(base, before, before);
      for (let i = 0; i < others.length; i += 1) {
        const target = others[(i + round) % others.length] as Target;
        const sample = await once(target, options.seconds);
        const after = await once(base, options.seconds);
        record(base, after, after);
        record(target, sample, meanSample(before, after));
        before = after;
      }
      process.stderr.write(`bench: round ${round + 1}/${options.rounds} done\n`);
    }
    for (const target of profiled) await target.server.request({ cmd: 'profile-stop', dir: options.profileDir });
    const heapMb = new Map<string, number>();
    for (const target of targets) {
      heapMb.set(target.variant, (await target.server.request<ServerUsage>({ cmd: 'usage', gc: true })).heapUsedMb);
    }
    return { samples, heapMb, pinned };
  } finally {
    await Promise.all([loader.stop(), ...targets.map((t) => t.server.stop())]);
  }
}
