/**
 * DPoP rows (RFC 9449): each request carries `Authorization: DPoP <token>` and a new proof,
 * signed here in the minter (with `node:crypto`, synchronously: a proof per request for a
 * block of tens of thousands) before the block, so the server's timed path only verifies.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { LoginManager } from 'routing-controllers-login';
import { USER } from './keys';
import type { Minter, Requests } from './types';

/**
 * The `Host` every DPoP request sends (wrk uses a `Host` header given instead of its own), so a
 * proof's `htu` is known before the server's port is: the server builds the URL from `Host`.
 */
export const DPOP_HOST = 'bench.example';
const HTU = `http://${DPOP_HOST}/me`;

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

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
 * An access token of `manager` bound to `jkt`: with the manager's own `dpop` request option where
 * it has one (the issuing side of DPoP), else with the `cnf` claim in `data`, as it took it before.
 */
function boundToken(manager: LoginManager<unknown>, jkt: string): string {
  try {
    return manager.createAccessToken({ data: { sub: USER.email }, dpop: jkt } as never);
  } catch {
    return manager.createAccessToken({ data: { sub: USER.email, cnf: { jkt } } });
  }
}

interface Session {
  client: DpopClient;
  /** The repeated rows' one token. */
  token: string;
}

const sessions = new WeakMap<Minter, Session>();

function sessionOf(mint: Minter): Session {
  let session = sessions.get(mint);
  if (!session) {
    if (!mint.manager) throw new Error('a DPoP row runs the library');
    const client = new DpopClient();
    session = { client, token: boundToken(mint.manager, client.jkt) };
    sessions.set(mint, session);
  }
  return session;
}

/** The requests of a DPoP row: one bound token or a new one per request, a new proof on every request. */
export const dpopRequests = (tokens: 'repeated' | 'distinct'): Requests => ({
  mode: 'fresh',
  headers: (mint) => {
    const { client, token } = sessionOf(mint);
    const sent = tokens === 'repeated' ? token : boundToken(mint.manager as LoginManager<unknown>, client.jkt);
    return { Host: DPOP_HOST, authorization: `DPoP ${sent}`, dpop: client.proof(sent) };
  },
  describe: tokens === 'repeated' ? 'repeated token, a new proof per request' : 'distinct tokens, a new proof each',
});
