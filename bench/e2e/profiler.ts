import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * A CPU profile of this server over the timed runs only (not its start-up), written as
 * `<dir>/<variant>.cpuprofile`, with the number of requests it served beside it in
 * `<variant>.json`, so `npm run bench:profile` can give microseconds per request.
 */
export class Profiler {
  private readonly session = new Session();
  private requests = 0;

  constructor(server: Server) {
    this.session.connect();
    server.on('request', () => {
      this.requests += 1;
    });
  }

  async start(): Promise<void> {
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: 100 });
    await this.post('Profiler.start');
    this.requests = 0;
  }

  async stop(dir: string, variant: string): Promise<void> {
    const { profile } = (await this.post('Profiler.stop')) as { profile: unknown };
    writeFileSync(join(dir, `${variant}.cpuprofile`), JSON.stringify(profile));
    writeFileSync(join(dir, `${variant}.json`), JSON.stringify({ requests: this.requests }));
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
    });
  }
}
