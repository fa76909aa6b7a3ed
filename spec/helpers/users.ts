import type { LoginLogger } from 'routing-controllers-login';

export interface Account {
  email: string;
  name: string;
}

export const ACCOUNTS: Record<string, Account> = {
  'john@example.com': { email: 'john@example.com', name: 'John' },
  'jane@example.com': { email: 'jane@example.com', name: 'Jane' },
};

/** A user loader that counts its calls and can be made to fail like a database. */
export function accountLoader() {
  const loader = {
    calls: 0,
    failWith: undefined as Error | undefined,
    load: async (sub: string): Promise<Account | undefined> => {
      loader.calls += 1;
      if (loader.failWith) throw loader.failWith;
      return ACCOUNTS[sub];
    },
  };
  return loader;
}

/** A logger for specs that make the loader fail on purpose: the library reports it, nobody needs to read it. */
export const quietLogger: LoginLogger = { error: () => {}, warn: () => {} };
