import * as check from '../shared/checks';
import type { Clock } from '../shared/clock';
import { isPlainObject } from '../shared/json';
import type { LoginLogger } from '../shared/logger';
import { ALGORITHMS, type Algorithm, isAlgorithm } from './algorithms';
import { audienceRule } from './audience';
import { discovered, jwksAt } from './discovery';
import { urlProblem } from './fetch-json';
import { type KeyConfig, KeyRing, keyRingOf, singleKeyRing } from './key-ring';
import type { Secret } from './material';
import { type KeyLocation, RemoteKeySet } from './remote-key-set';
import { algorithmList, remoteSettings } from './settings';
import type { JsonWebKeySet, TrustedIssuer } from './source';

/** One issuer a manager trusts, in the `issuers` option: its `iss`, its audience, and where its keys are. */
export interface IssuerConfig {
  /** The `iss` its tokens carry, compared exactly. With `discovery`, also where its discovery document is. */
  issuer: string;
  /** Its tokens must name one of these in `aud`; required unless `anyAudience` (it signs tokens for other APIs). */
  audience?: string | string[];
  /** The exception to `audience`: its tokens are accepted whatever their `aud`. Only if all it signs is for us. */
  anyAudience?: boolean;
  /** Its keys, given here: key configs or a JWK Set. */
  keys?: KeyConfig[] | JsonWebKeySet;
  /** Its JWK Set URL (https; http only to localhost), fetched and cached. */
  jwksUri?: string;
  /** Find its JWK Set through `<issuer>/.well-known/openid-configuration`, whose `issuer` must equal `issuer`. */
  discovery?: boolean;
  /** With `jwksUri` or `discovery`: the algorithms its tokens may use. Default `['RS256']`. */
  algorithms?: Algorithm[];
  /**
   * `'at+jwt'`: its access tokens must carry `typ: at+jwt` (RFC 9068 §4), so its ID tokens (and any other JWT
   * of its) are refused. Set it for issuers that write that header (Auth0, Okta...); leave it out for those that do not.
   */
  accessTokenType?: 'at+jwt';
}

/** The key options of `LoginOptions`, unchecked. */
export interface KeyOptions {
  secret?: unknown;
  algorithm?: unknown;
  keys?: unknown;
  jwksUri?: unknown;
  discovery?: unknown;
  algorithms?: unknown;
  issuers?: unknown;
  remoteKeys?: unknown;
  maxTokenLifetime?: unknown;
  anyAudience?: unknown;
}

/** What the key options resolve to: the keys this manager signs with and publishes, and whom it trusts. */
export interface KeySetup {
  keys: KeyRing;
  trust: TrustedIssuer[];
  /** Seconds; only a verify-only manager has one. */
  maxTokenLifetime: number | undefined;
}

interface Context {
  clock: Clock;
  logger: LoginLogger;
  issuer: string | undefined;
  audience: string[] | undefined;
  accessTokenType: 'at+jwt' | undefined;
}

const fail = check.fail;
const REMOTE_ONLY = ['algorithms', 'remoteKeys'] as const;

/** Checks the key options together: `secret` or `keys`, or `jwksUri`/`discovery`, or `issuers`. */
export function keySetup(options: KeyOptions, context: Context): KeySetup {
  const { issuer, audience, accessTokenType } = context;
  let keys = new KeyRing([]);
  let trust: TrustedIssuer[];
  if (options.issuers !== undefined) {
    const given = ['secret', 'keys', 'algorithm', 'jwksUri', 'discovery', 'algorithms', 'anyAudience'].filter(
      (name) => options[name as keyof KeyOptions] !== undefined,
    );
    if (issuer !== undefined) given.push('issuer');
    if (audience !== undefined) given.push('audience');
    if (accessTokenType !== undefined) given.push('accessTokenType');
    if (given.length)
      fail(`with \`issuers\`, each issuer has its own keys and audience: move ${given.join(', ')} into its entry.`);
    trust = issuerList(options.issuers, remoteFactory(options.remoteKeys, context));
    if (options.remoteKeys !== undefined && !trust.some(({ keys }) => keys instanceof RemoteKeySet)) {
      fail('`remoteKeys` is set, but no issuer has `jwksUri` or `discovery`.');
    }
  } else if (options.jwksUri !== undefined || options.discovery !== undefined) {
    trust = [{ issuer, audience, accessTokenType, keys: oneRemote(options, context) }];
    audienceRule(audience, options.anyAudience, true);
  } else {
    const stray = REMOTE_ONLY.find((name) => options[name] !== undefined);
    if (stray) fail(`\`${stray}\` is for keys fetched with \`jwksUri\`, \`discovery\` or \`issuers\`.`);
    keys = localKeys(options);
    audienceRule(audience, options.anyAudience, !keys.signer);
    trust = [{ issuer, audience, accessTokenType, keys }];
  }
  const maxTokenLifetime = check.duration('maxTokenLifetime', options.maxTokenLifetime);
  if (maxTokenLifetime !== undefined && keys.signer) {
    fail(
      '`maxTokenLifetime` is for verify-only managers; a manager that signs accepts lifetimes up to the larger of ' +
        'defaultExpiry and refreshExpiry, the longest it issues.',
    );
  }
  return { keys, trust, maxTokenLifetime };
}

type RemoteFactory = (location: KeyLocation, algorithms: unknown, where: string) => RemoteKeySet;

function remoteFactory(options: unknown, { clock, logger }: Context): RemoteFactory {
  const settings = remoteSettings(options);
  return (location, algorithms, where) =>
    new RemoteKeySet(location, algorithmList(algorithms, where), settings, clock, logger);
}

function oneRemote(options: KeyOptions, context: Context): RemoteKeySet {
  const { jwksUri, discovery, secret, keys, algorithm } = options;
  if (secret !== undefined || keys !== undefined || algorithm !== undefined) {
    fail(
      '`jwksUri` and `discovery` fetch the keys: drop `secret`, `keys` and `algorithm` (list them in `algorithms`).',
    );
  }
  const location = remoteLocation(jwksUri, discovery, context.issuer, '');
  if (!location) return fail('`discovery: false` leaves no keys: give `jwksUri`, `keys` or `secret`.');
  return remoteFactory(options.remoteKeys, context)(location, options.algorithms, '');
}

/** Where a remote key set is, from `jwksUri` or `discovery` (`undefined` for `discovery: false`). */
function remoteLocation(jwksUri: unknown, discovery: unknown, issuer: string | undefined, where: string) {
  if (jwksUri !== undefined && discovery !== undefined) fail(`${where}give \`jwksUri\` or \`discovery\`, not both.`);
  if (jwksUri !== undefined) {
    if (typeof jwksUri !== 'string') return fail(`${where}\`jwksUri\` is a URL string.`);
    const problem = urlProblem(jwksUri);
    return problem ? fail(`${where}\`jwksUri\`: ${problem}.`) : jwksAt(jwksUri);
  }
  if (typeof discovery !== 'boolean') return fail(`${where}\`discovery\` is true or false.`);
  if (!discovery) return undefined;
  if (issuer === undefined) {
    return fail(
      `${where}\`discovery\` needs \`issuer\`: its document is at <issuer>/.well-known/openid-configuration.`,
    );
  }
  const problem = urlProblem(issuer);
  return problem ? fail(`${where}\`issuer\` for discovery: ${problem}.`) : discovered(issuer);
}

const ISSUER_FIELDS = new Set(
  'issuer audience anyAudience keys jwksUri discovery algorithms accessTokenType'.split(' '),
);

function issuerList(list: unknown, remote: RemoteFactory): TrustedIssuer[] {
  if (!Array.isArray(list) || list.length === 0) {
    fail('`issuers` is a non-empty array of { issuer, audience, jwksUri | discovery | keys }.');
  }
  const seen = new Set<string>();
  return (list as unknown[]).map((entry, index) => {
    const where = `issuers[${index}]: `;
    if (!isPlainObject(entry)) return fail(`${where}not an object like { issuer, audience, jwksUri }.`);
    const unknown = Object.keys(entry).filter((name) => !ISSUER_FIELDS.has(name));
    if (unknown.length)
      fail(`${where}unknown field(s) ${unknown.join(', ')}; the fields are ${[...ISSUER_FIELDS].join(', ')}.`);
    const issuer = check.prefixed(where, () => check.issuer(entry.issuer)) ?? fail(`${where}\`issuer\` is required.`);
    if (seen.has(issuer)) fail(`${where}issuer ${issuer} is listed twice.`);
    seen.add(issuer);
    const audience = check.prefixed(where, () => check.audience(entry.audience));
    const accessTokenType = check.prefixed(where, () => check.accessTokenType(entry.accessTokenType));
    const keys = issuerKeys(entry, issuer, remote, where);
    check.prefixed(where, () => audienceRule(audience, entry.anyAudience, true, true));
    return { issuer, audience, accessTokenType, keys };
  });
}

function issuerKeys(entry: Record<string, unknown>, issuer: string, remote: RemoteFactory, where: string) {
  const remoteGiven = entry.jwksUri !== undefined || entry.discovery !== undefined;
  const location = remoteGiven ? remoteLocation(entry.jwksUri, entry.discovery, issuer, where) : undefined;
  if (location && entry.keys !== undefined) fail(`${where}give \`keys\`, \`jwksUri\` or \`discovery\`, only one.`);
  if (location) return remote(location, entry.algorithms, where);
  if (entry.keys === undefined) return fail(`${where}give its keys: \`jwksUri\`, \`discovery: true\` or \`keys\`.`);
  if (entry.algorithms !== undefined) fail(`${where}\`algorithms\` is for fetched keys; each of \`keys\` has its own.`);
  return check.prefixed(where, () => keyRingOf(entry.keys as KeyConfig[] | JsonWebKeySet));
}

/** The key ring: from `secret` + `algorithm`, or from `keys` (a list, or a JWK Set for a verify-only manager). */
export function localKeys(options: { secret?: unknown; algorithm?: unknown; keys?: unknown }): KeyRing {
  const { secret, algorithm, keys: list } = options;
  if (list !== undefined) {
    if (secret !== undefined || algorithm !== undefined) {
      fail('give `secret` (with `algorithm`) or `keys` (each with its own algorithm), not both.');
    }
    return keyRingOf(list as KeyConfig[] | JsonWebKeySet);
  }
  if (secret === undefined || secret === null || secret === '') {
    fail('`secret` is required (is the environment variable you read it from set?), or give `keys`.');
  }
  if (algorithm !== undefined && !isAlgorithm(algorithm)) {
    fail(`\`algorithm\` ${JSON.stringify(algorithm)} is not allowed; use one of ${ALGORITHMS.join(', ')}.`);
  }
  return singleKeyRing(secret as Secret, (algorithm ?? 'HS256') as Algorithm);
}
