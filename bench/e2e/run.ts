import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child, canPin } from './child';
import { makeKeys } from './keys';
import { type BlockOptions, block, type Sample, type Target } from './measure';
import type { RequestFile } from './minter';
import { BASELINE, CONTROL, type Variant } from './variants';
import { writeScript } from './wrk';

export interface EndToEndOptions {
  /** The rows, the control first. */
  variants: readonly Variant[];
  /** Timed blocks of each row (and one more of no-auth around them). */
  rounds: number;
  /** The timed window of a block, s. */
  seconds: number;
  /** Untimed load on the same server immediately before each timed window, s. */
  warmSeconds: number;
  /** Untimed load on the row's freshly started server and on no-auth before the row's blocks, s. */
  startWarmSeconds: number;
  connections: number;
  /** Node flags of every server (`--no-memory-reducer` by default). */
  nodeFlags: string[];
  /** Variant ids (comma-separated) whose servers are CPU-profiled over their blocks, into `profileDir`. */
  profile?: string;
  profileDir: string;
}

/** A timed block of a row and the no-auth blocks just before and after it. */
export interface Pair {
  sample: Sample;
  before: Sample;
  after: Sample;
}

export interface RowResult {
  variant: Variant;
  /** Why the row did not run, when it did not. */
  skipped?: string;
  pairs: Pair[];
  /** The row's server's heap after GC once its blocks ran, MB. */
  heapMb: number;
  /** `crypto.verify` alone for this row's key and token, µs. */
  verifyUs?: number;
}

export interface EndToEndResult {
  rows: RowResult[];
  /** The control's halves: measured first, and again last (when there are other rows). */
  controls: RowResult[];
  pinned: { server: number; loader: number } | undefined;
}

/** Keeps this process (the orchestrator, and the children it starts unpinned) off the server's CPU. */
function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

class Bench {
  private readonly pinned = canPin() && cpus().length >= 2 ? { server: 0, loader: 1 } : undefined;
  private readonly env = { ...process.env, BENCH_KEYS: JSON.stringify(makeKeys()) };
  private readonly dir = mkdtempSync(join(tmpdir(), 'rcl-bench-'));
  private readonly script = writeScript(this.dir);
  private readonly minter: Child;
  private readonly profiled: Set<string>;
  private baseline: Target | undefined;

  constructor(private readonly options: EndToEndOptions) {
    if (this.pinned) pinSelf(this.pinned.loader);
    this.minter = new Child(join(__dirname, 'minter.js'), [], { cpu: this.pinned?.loader, env: this.env });
    this.profiled = new Set(options.profile?.split(',').filter(Boolean) ?? []);
    if (this.profiled.size) mkdirSync(options.profileDir, { recursive: true });
  }

  async run(): Promise<EndToEndResult> {
    try {
      const base = await this.start(BASELINE);
      this.baseline = base;
      await this.warm(base);
      if (this.profiled.has(BASELINE.id)) await base.server.request({ cmd: 'profile-start' });
      const [control, ...others] = this.options.variants;
      const controls = [await this.row(control ?? CONTROL)];
      const rows = [];
      for (const variant of others) rows.push(await this.row(variant));
      if (rows.length) controls.push(await this.row(CONTROL));
      if (this.profiled.has(BASELINE.id)) await this.profileStop(base);
      const pooled = { ...(controls[0] as RowResult), pairs: controls.flatMap((c) => c.pairs) };
      return { rows: [pooled, ...rows], controls, pinned: this.pinned };
    } finally {
      await Promise.all([this.minter.stop(), this.baseline?.server.stop()]);
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** One row: its service (if any) and server started, measured, then stopped. */
  private async row(variant: Variant): Promise<RowResult> {
    const skipped = variant.skip?.();
    if (skipped) return { variant, skipped, pairs: [], heapMb: Number.NaN };
    const verifyUs = variant.reference ? await this.verifyAlone(variant) : undefined;
    const service = await variant.service?.();
    try {
      return await this.measured(variant, verifyUs, service?.env);
    } finally {
      await service?.stop();
    }
  }

  /** The row's server started (with its service's `env`) and warmed, then no-auth, row, no-auth, … in blocks. */
  private async measured(variant: Variant, verifyUs?: number, env?: Record<string, string>): Promise<RowResult> {
    const base = this.baseline as Target;
    const target = await this.start(variant, env);
    try {
      await this.warm(target);
      await this.warm(base);
      const profiled = this.profiled.has(variant.id);
      if (profiled) await target.server.request({ cmd: 'profile-start' });
      const pairs: Pair[] = [];
      let before = await this.timed(base);
      for (let round = 0; round < this.options.rounds; round += 1) {
        const sample = await this.timed(target);
        const after = await this.timed(base);
        pairs.push({ sample, before, after });
        before = after;
      }
      if (profiled) await this.profileStop(target);
      const { heapUsedMb } = await target.server.request<{ heapUsedMb: number }>({ cmd: 'usage', gc: true });
      process.stderr.write(`bench: ${variant.id} done\n`);
      return { variant, pairs, heapMb: heapUsedMb, verifyUs };
    } finally {
      await target.server.stop();
      await this.minter.request({ cmd: 'forget', variant: variant.id });
    }
  }

  private async start(variant: Variant, env?: Record<string, string>): Promise<Target> {
    await this.minter.request({ cmd: 'prepare', variant: variant.id, dir: this.dir });
    const server = new Child(join(__dirname, 'server.js'), [variant.id], {
      cpu: this.pinned?.server,
      nodeFlags: ['--expose-gc', ...this.options.nodeFlags],
      env: { ...this.env, ...env },
    });
    const port = await server.request<number>({ cmd: 'port' });
    return { id: variant.id, server, port, status: variant.status, sent: 0, lastRps: 0 };
  }

  private blockOptions(seconds: number, warmSeconds: number): BlockOptions {
    return {
      script: this.script,
      connections: this.options.connections,
      warmSeconds,
      seconds,
      serverCpu: this.pinned?.server,
      loaderCpu: this.pinned?.loader,
    };
  }

  /** The requests of one run of `target` lasting about `seconds`: fresh tokens are minted now. */
  private requests(target: Target, seconds: number): Promise<RequestFile> {
    const rps = Math.max(target.lastRps, this.baseline?.lastRps ?? 0, 2000);
    // wrk is stopped when the window ends; the margin covers its start and a faster block (a
    // shortfall is reported as reused tokens).
    const count = Math.ceil(rps * (seconds + 1) * 1.25);
    return this.minter.request<RequestFile>({ cmd: 'requests', variant: target.id, count });
  }

  private async warm(target: Target): Promise<void> {
    const seconds = this.options.startWarmSeconds;
    await block(target, await this.requests(target, seconds), this.blockOptions(0, seconds));
  }

  private async timed(target: Target): Promise<Sample> {
    const { seconds, warmSeconds } = this.options;
    const file = await this.requests(target, seconds + warmSeconds);
    return (await block(target, file, this.blockOptions(seconds, warmSeconds))) as Sample;
  }

  private async verifyAlone(variant: Variant): Promise<number> {
    const child = new Child(join(__dirname, 'reference.js'), [], { cpu: this.pinned?.server, env: this.env });
    try {
      return await child.request<number>({ cmd: 'verify', variant: variant.id });
    } finally {
      await child.stop();
    }
  }

  private async profileStop(target: Target): Promise<void> {
    await target.server.request({ cmd: 'profile-stop', dir: this.options.profileDir });
  }
}

/**
 * Runs every row against the no-auth server. Nothing waits long untimed before it is timed:
 * each row's server starts when its row does and stops after it, each timed window follows
 * untimed load on the same server, and no-auth and the row alternate in short blocks, so
 * both have idled the same few seconds (a Node server idle for 20 s or more pays V8's memory
 * reducer in its next seconds). Each row's blocks are judged against the no-auth blocks on
 * either side of them, which cancels a drift of the machine's speed over the row.
 */
export function runEndToEnd(options: EndToEndOptions): Promise<EndToEndResult> {
  return new Bench(options).run();
}
