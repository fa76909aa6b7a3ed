import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { LoginManager, type LoginOptions } from 'routing-controllers-login';
import type { Algorithm, Variant } from './variants';

/** The key material every process of one bench run shares (made once, handed over in `BENCH_KEYS`). */
export interface BenchKeys {
  secret: string;
  rsa: string;
  ec: string;
  /** An Ed25519 private key (EdDSA). */
  ed25519: string;
}

export const USER = { email: 'bench@example.com', name: 'Bench' };

export function makeKeys(): BenchKeys {
  const pem = { type: 'pkcs8', format: 'pem' } as const;
  return {
    secret: randomBytes(32).toString('base64url'),
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export(pem).toString(),
    ec: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export(pem).toString(),
    ed25519: generateKeyPairSync('ed25519').privateKey.export(pem).toString(),
  };
}

export function keysFromEnv(): BenchKeys {
  const raw = process.env.BENCH_KEYS;
  if (!raw) throw new Error('BENCH_KEYS is not set: start this through `npm run bench`');
  return JSON.parse(raw) as BenchKeys;
}

/** The signing key of `algorithm` (a private key verifies too: the manager derives the public one). */
export function secretFor(algorithm: Algorithm, keys: BenchKeys): string {
  return { HS256: keys.secret, RS256: keys.rsa, ES256: keys.ec, EdDSA: keys.ed25519 }[algorithm];
}

/**
 * The manager a library row's server verifies with, and its minter signs with: the same
 * options both sides, plus `serverOptions` on the server's side only.
 */
export function managerFor(
  variant: Variant,
  keys: BenchKeys,
  serverOptions: Partial<LoginOptions> = {},
): LoginManager<typeof USER> {
  const login = variant.login;
  if (!login) throw new Error(`${variant.id} runs no library`);
  const users = new Map([[USER.email, USER]]);
  return new LoginManager<typeof USER>({
    secret: secretFor(login.algorithm, keys),
    algorithm: login.algorithm,
    tokenUrl: '/token',
    useHeader: login.source === 'header',
    useCookie: login.source === 'cookie',
    userLoader: (sub) => users.get(sub),
    ...login.options,
    ...serverOptions,
  });
}
