import { type ChildProcess, spawn } from 'node:child_process';

export interface Started {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `node script` with PORT=0 (in `cwd`, if given) and waits for its "http://localhost:<port>" line.
 * `env` adds to this process's environment; a variable set to `undefined` is left out (Node skips it).
 */
export function startServer(
  script: string,
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<Started> {
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(); // stopped already
      child.once('exit', () => resolve());
      child.kill();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 8s:\n${output}`)), 8000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/localhost:\d+/.exec(output)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ url, output: () => output, stop });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
}
