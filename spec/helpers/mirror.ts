import { Get, JsonController } from 'routing-controllers';
import {
  LoggedIn,
  LoginManager,
  RedisRevocationStore,
  type RedisRevocationStoreOptions,
  User,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from './app';
import { HS256_SECRET } from './keys';
import type { RedisClient } from './redis-targets';
import { type Account, accountLoader } from './users';

const users = accountLoader();

@LoggedIn()
@Service()
@JsonController('/mirror')
class MirrorGuardedController {
  @Get('/me')
  me(@User() user: Account) {
    return { email: user.email };
  }
}

/** What an instance is given: its store's options, and the manager's `storeTimeout`. */
export interface InstanceOptions {
  store?: RedisRevocationStoreOptions;
  storeTimeout?: number;
}

/**
 * An app instance for the mirror's specs: its own manager and store (mirrored or plain) on `client`, a
 * guarded route, and what the manager logged. Close it (`close()`) to end a mirrored store's subscription.
 */
export function storeInstance(client: RedisClient, prefix: string, options: InstanceOptions = {}) {
  const logs = { errors: [] as string[], warnings: [] as string[] };
  const store = new RedisRevocationStore(client, { prefix, ...options.store });
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: users.load,
    revocationStore: store,
    storeTimeout: options.storeTimeout ?? 1000,
    logger: {
      error: (message: string) => void logs.errors.push(message),
      warn: (message: string) => void logs.warnings.push(message),
    },
  });
  const app = appWith(manager, { controllers: [MirrorGuardedController] });
  const me = (token: string) => request(app).get('/mirror/me').set('Authorization', `Bearer ${token}`);
  return { client, store, manager, app, me, logs, close: () => store.close() };
}

export type StoreInstance = ReturnType<typeof storeInstance>;

/** The masters of `client`: a Cluster's, or the single Redis itself. */
export function mastersOf(client: RedisClient) {
  return 'nodes' in client ? client.nodes('master') : [client];
}

/** Calls per command (`INFO commandstats`), summed over every master. */
export async function commandCalls(client: RedisClient): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const node of mastersOf(client)) {
    for (const [, name, count] of (await node.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      calls.set(name as string, (calls.get(name as string) ?? 0) + Number(count));
    }
  }
  return calls;
}

/** What each command gained from `before` to `after`, leaving out those that are 0. */
export function callsAdded(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [name, count] of after) {
    const more = count - (before.get(name) ?? 0);
    if (more > 0) added[name] = more;
  }
  return added;
}

/** Polls `check` until it is true or `ms` pass; answers how long it took, or throws with `what`. */
export async function within(ms: number, what: string, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The claims of a token, read without verifying. */
export function claimsOf(token: string): { jti: string; fam: string } {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { jti: string; fam: string };
}

/** The `fam` of a token (its login). */
export const familyOf = (token: string): string => claimsOf(token).fam;
