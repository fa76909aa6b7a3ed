import { type ChildProcess, execFileSync, spawn } from 'node:child_process';

/** A request to a child process and its answer, matched by `id`. */
interface Envelope {
  id: number;
  body?: unknown;
  error?: string;
}

/** True when `taskset` can pin processes to CPUs here. */
export function canPin(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A node child process (pinned to `cpu` when given) that answers requests over IPC. */
export class Child {
  private readonly process: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (body: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    script: string,
    args: string[],
    options: { cpu?: number; nodeFlags?: string[]; env?: NodeJS.ProcessEnv },
  ) {
    const node = [...(options.nodeFlags ?? []), script, ...args];
    const [command, argv] =
      options.cpu === undefined
        ? [process.execPath, node]
        : ['taskset', ['-c', String(options.cpu), process.execPath, ...node]];
    this.process = spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: options.env });
    this.process.on('message', (message: Envelope) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.body);
    });
    this.process.on('exit', (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${script} exited with ${code}`));
      this.waiting.clear();
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  request<T>(body: unknown): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (body: unknown) => void, reject });
      this.process.send({ id, body });
    });
  }

  /** Asks the child to exit (so a `--cpu-prof` profile gets written) and waits for it. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.send({ id: -1, body: { cmd: 'exit' } });
    await exited;
  }
}

/** The child's side: answers every request with `handle`'s result; `{ cmd: 'exit' }` ends the process. */
export function serve(handle: (body: { cmd: string; [key: string]: unknown }) => unknown): void {
  process.on('message', async (message: Envelope) => {
    const body = message.body as { cmd: string };
    if (body.cmd === 'exit') {
      process.disconnect?.();
      process.exit(0);
    }
    try {
      process.send?.({ id: message.id, body: await handle(body) });
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
}
