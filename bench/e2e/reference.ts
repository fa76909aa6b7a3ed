/**
 * `crypto.verify` alone (a child of `npm run bench`, pinned to the server CPU): what one
 * signature check of a row's token costs in process, with the same key and a token of the same
 * size, the key object and the buffers made beforehand. The RS256 and ES256 goals allow the
 * library a few µs over this. µs of this process's CPU per call, the median of several slices.
 */
import { createPublicKey, type KeyObject, type VerifyKeyObjectInput, verify } from 'node:crypto';
import { median } from '../stats';
import { serve } from './child';
import { keysFromEnv, managerFor, secretFor, USER } from './keys';
import { type Algorithm, variantById } from './variants';

/**
 * How `crypto.verify` is called for each algorithm, as the library calls it for a JWS: the
 * hash, and the key with its options (EdDSA none: Ed25519 hashes internally).
 */
const CALLS: Partial<Record<Algorithm, (key: KeyObject) => [string | null, KeyObject | VerifyKeyObjectInput]>> = {
  RS256: (key) => ['sha256', key],
  ES256: (key) => ['sha256', { key, dsaEncoding: 'ieee-p1363' }],
  EdDSA: (key) => [null, key],
};

function measure(id: string): number {
  const variant = variantById(id);
  const keys = keysFromEnv();
  const token = managerFor(variant, keys).createAccessToken({ data: { sub: USER.email } });
  const end = token.lastIndexOf('.');
  const data = Buffer.from(token.slice(0, end), 'latin1');
  const signature = Buffer.from(token.slice(end + 1), 'base64url');
  if (!variant.login) throw new Error(`${id} runs no library`);
  const call = CALLS[variant.login.algorithm];
  if (!call) throw new Error(`no crypto.verify reference for ${variant.login.algorithm}: add it to CALLS`);
  const [hash, key] = call(createPublicKey(secretFor(variant.login.algorithm, keys)));
  const once = () => {
    if (!verify(hash, data, key, signature)) throw new Error('the reference signature does not verify');
  };
  for (let i = 0; i < 500; i += 1) once();
  const slices: number[] = [];
  for (let slice = 0; slice < 9; slice += 1) {
    const before = process.cpuUsage();
    const started = process.hrtime.bigint();
    let calls = 0;
    while (process.hrtime.bigint() - started < 200_000_000n) {
      for (let i = 0; i < 20; i += 1) once();
      calls += 20;
    }
    const used = process.cpuUsage(before);
    slices.push((used.user + used.system) / calls);
  }
  return median(slices);
}

serve((request) => {
  if (request.cmd === 'verify') return measure(String(request.variant));
  throw new Error(`unknown request ${request.cmd}`);
});
