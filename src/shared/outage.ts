import type { OutagePhase } from './events';
import type { LoginLogger } from './logger';

/**
 * Logs the outage of something the library depends on (a store, a key source) once when
 * it begins and once when it ends, however many requests fail meanwhile, and tells
 * `announce` (which publishes the outage's event) the same two times.
 */
export class OutageLog {
  private down = false;

  /** `what` names the dependency in the log, e.g. `revocation store`. */
  constructor(
    private readonly logger: LoginLogger,
    private readonly what: string,
    private readonly announce?: (phase: OutagePhase) => void,
  ) {}

  /** A call failed: logged with `consequence` (what it means for requests) if the outage is new. */
  failed(error: unknown, consequence: string): void {
    if (this.down) return;
    this.down = true;
    this.logger.error(`routing-controllers-login: ${this.what} unavailable; ${consequence}`, error);
    this.announce?.('start');
  }

  /** A call succeeded: logged if it ends an outage. */
  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.warn(`routing-controllers-login: ${this.what} available again`);
    this.announce?.('end');
  }
}

/** `answer`, or a rejection once `ms` milliseconds pass without it; the timer never outlives the answer. */
export async function within<T>(answer: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
