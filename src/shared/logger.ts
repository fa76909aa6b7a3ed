/** Where the library reports an outage (a store, a key source) and warnings; `console` fits. */
export interface LoginLogger {
  /** An outage began: `error` is what the dependency threw, if it threw. */
  error(message: string, error?: unknown): void;
  /** The dependency answers again, or something the app should know. */
  warn(message: string): void;
}
