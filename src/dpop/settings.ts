import { fail } from '../shared/checks';
import { isPlainObject } from '../shared/json';
import { DEFAULT_DPOP_ALGORITHMS, DPOP_ALGORITHMS, type DpopAlgorithm, isDpopAlgorithm } from './algorithms';
import type { NonceSource } from './nonce';
import type { ReplayCache } from './replay';

/** How DPoP proofs are checked, decided once (at construction), for every request alike. */
export interface ProofSettings {
  /** The `alg`s a proof may use; also what the challenge's `algs` lists. */
  algorithms: readonly DpopAlgorithm[];
  /** Seconds a proof's `iat` may be from now, either way, before the clock tolerance. */
  maxAge: number;
  /** Seconds of clock skew allowed beyond `maxAge` (the manager's `clockTolerance`). */
  leeway: number;
  /** Longer proofs are refused before any decoding. */
  maxLength: number;
  /** Where used `jti`s are remembered. */
  replay: ReplayCache;
  /** With nonces: where they come from; a proof must then carry a current one. */
  nonces?: NonceSource | undefined;
}

/** The settings as given, unchecked: everything but `replay` has a default. */
export interface ProofSettingsInput {
  algorithms?: unknown;
  maxAge?: unknown;
  leeway?: unknown;
  maxLength?: unknown;
  replay: unknown;
  nonces?: unknown;
}

const FIELDS = new Set(['algorithms', 'maxAge', 'leeway', 'maxLength', 'replay', 'nonces']);

/** Checks DPoP settings, saying how to fix a bad one; `where` prefixes the messages (e.g. `dpop.`). */
export function proofSettings(input: ProofSettingsInput, where = 'dpop.'): ProofSettings {
  if (!isPlainObject(input)) return fail(`\`${where.slice(0, -1)}\` is an object like { replay, maxAge: 60 }.`);
  const unknown = Object.keys(input).filter((name) => !FIELDS.has(name));
  if (unknown.length)
    fail(`\`${where}\`: unknown field(s) ${unknown.join(', ')}; the fields are ${[...FIELDS].join(', ')}.`);
  const { algorithms = DEFAULT_DPOP_ALGORITHMS, maxAge = 60, leeway = 0, maxLength = 4096, replay, nonces } = input;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every(isDpopAlgorithm)) {
    fail(`\`${where}algorithms\` lists proof algorithms from ${DPOP_ALGORITHMS.join(', ')} (never none or HMAC).`);
  }
  if (!(typeof maxAge === 'number' && Number.isInteger(maxAge) && maxAge >= 1 && maxAge <= 300)) {
    fail(`\`${where}maxAge\` is a whole number of seconds from 1 to 300: how far a proof's iat may be from now.`);
  }
  if (!(typeof leeway === 'number' && Number.isFinite(leeway) && leeway >= 0 && leeway <= 300)) {
    fail(`\`${where}leeway\` is a number of seconds from 0 to 300.`);
  }
  if (!(typeof maxLength === 'number' && Number.isInteger(maxLength) && maxLength >= 512 && maxLength <= 65_536)) {
    fail(`\`${where}maxLength\` is a whole number of bytes from 512 to 65536.`);
  }
  if (!hasMethods(replay, ['firstUse'])) fail(`\`${where}replay\` needs a firstUse method: use a MemoryReplayCache.`);
  if (nonces !== undefined && !hasMethods(nonces, ['current', 'accepts'])) {
    fail(`\`${where}nonces\` needs current and accepts methods: use HmacNonces.`);
  }
  return {
    algorithms: [...new Set(algorithms as DpopAlgorithm[])],
    maxAge: maxAge as number,
    leeway: leeway as number,
    maxLength: maxLength as number,
    replay: replay as ReplayCache,
    nonces: nonces as NonceSource | undefined,
  };
}

const hasMethods = (value: unknown, methods: string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  methods.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
