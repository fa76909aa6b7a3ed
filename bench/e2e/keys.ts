import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { LoginManager } from 'routing-controllers-login';
import type { Variant } from './variants';

/** The key material every process of one bench run shares (made once, handed over in `BENCH_KEYS`). */
export interface BenchKeys {
  secret: string;
  rsa: string;
  ec: string;
}

export const USER = { email: 'bench@example.com', name: 'Bench' };

export function makeKeys(): BenchKeys {
  const pem = { type: 'pkcs8', format: 'pem' } as const;
  return {
    secret: randomBytes(32).toString('base64url'),
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export(pem).toString(),
    ec: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export(pem).toString(),
  };
}

export function keysFromEnv(): BenchKeys {
  const raw = process.env.BENCH_KEYS;
  if (!raw) throw new Error('BENCH_KEYS is not set: start this through `npm run bench`');
  return JSON.parse(raw) as BenchKeys;
}

/** The manager a variant's server verifies with, and its load generator signs with: same options both sides. */
export function managerFor(variant: Variant, keys: BenchKeys): LoginManager<typeof USER> {
  const secret = { HS256: keys.secret, RS256: keys.rsa, ES256: keys.ec }[variant.algorithm];
  const users = new Map([[USER.email, USER]]);
  return new LoginManager<typeof USER>({
    secret,
    algorithm: variant.algorithm,
    tokenUrl: '/token',
    useHeader: variant.source !== 'cookie',
    useCookie: variant.source === 'cookie',
    userLoader: (sub) => users.get(sub),
  });
}
