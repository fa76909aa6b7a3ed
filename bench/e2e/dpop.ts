/**
 * DPoP rows (RFC 9449): each request carries `Authorization: DPoP <token>` and a new proof,
 * signed here in the minter (with `node:crypto`, synchronously: a proof per request, tens of
 * thousands for a block) before the block, so the server's timed path only verifies.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { Minter, Requests } from './types';

/**
 * The `Host` every DPoP request sends (wrk uses a `Host` header given instead of its own), so a
 * proof's `htu` is known before the server's port is: the server builds the URL from `Host`.
 */
export const DPOP_HOST = 'bench.example';
const HTU = `http://${DPOP_HOST}/me`;

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const decoded = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString());

/** A DPoP client: a P-256 key, its public JWK in every proof's header, its RFC 7638 thumbprint. */
class DpopClient {
  private readonly key: KeyObject;
  private readonly header: string;
  /** The key's thumbprint: the `cnf.jkt` of the tokens bound to it. */
  readonly jkt: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { crv, kty, x, y } = publicKey.export({ format: 'jwk' });
    this.key = privateKey;
    this.header = segment({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } });
    // RFC 7638: the required members in lexicographic order, no whitespace.
    this.jkt = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  }

  /** A new proof for `GET /me` with `token` (its `ath`), dated now. */
  proof(token: string): string {
    const ath = createHash('sha256').update(token).digest('base64url');
    const claims = { jti: randomUUID(), htm: 'GET', htu: HTU, iat: Math.floor(Date.now() / 1000), ath };
    const input = `${this.header}.${segment(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}

/**
 * An access token as the row's manager issues one from `createTokens({ ..., dpop: req })`,
 * bound to `jkt` (`cnf.jkt`): the manager's own header and claims (from a token it signed),
 * dated now, signed with its ES256 key. Signed here because the manager binds tokens only to
 * the key of a token request's checked proof, asynchronously, a login in its store each.
 */
function boundToken(mint: Minter, key: KeyObject, jkt: string): string {
  const [header, payload] = mint.sample.split('.') as [string, string];
  const sample = decoded(payload) as { iat: number; exp: number };
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...sample, iat: now, exp: now + (sample.exp - sample.iat), auth_time: now, jti: randomUUID() };
  const input = `${header}.${segment({ ...claims, cnf: { jkt } })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

interface Session {
  client: DpopClient;
  /** The row's manager's signing key. */
  key: KeyObject;
  /** The repeated rows' one token. */
  token: string;
}

const sessions = new WeakMap<Minter, Session>();

function sessionOf(mint: Minter): Session {
  let session = sessions.get(mint);
  if (!session) {
    if (decoded(mint.sample.split('.')[0]).alg !== 'ES256') throw new Error('a DPoP row runs the library, ES256');
    const client = new DpopClient();
    const key = createPrivateKey(mint.keys.ec);
    session = { client, key, token: boundToken(mint, key, client.jkt) };
    sessions.set(mint, session);
  }
  return session;
}

/** The requests of a DPoP row: one bound token or a new one per request, a new proof on every request. */
export const dpopRequests = (tokens: 'repeated' | 'distinct'): Requests => ({
  mode: 'fresh',
  headers: (mint) => {
    const { client, key, token } = sessionOf(mint);
    const sent = tokens === 'repeated' ? token : boundToken(mint, key, client.jkt);
    return { Host: DPOP_HOST, authorization: `DPoP ${sent}`, dpop: client.proof(sent) };
  },
  describe: tokens === 'repeated' ? 'repeated token, a new proof per request' : 'distinct tokens, a new proof each',
});
