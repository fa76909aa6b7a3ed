import { constants, createHmac, KeyObject, sign } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, generateProof, type JWSAlgorithm, type KeyPair } from 'dpop';

/** A DPoP client as the `dpop` library makes one: a key pair (non-extractable private key, as in a browser). */
export interface DpopClient {
  alg: JWSAlgorithm;
  keys: KeyPair;
  /** A proof from the library itself. */
  proof(
    htu: string,
    htm: string,
    options?: { nonce?: string; accessToken?: string; extra?: Record<string, string> },
  ): Promise<string>;
  /** The private key as node:crypto takes it, to sign hand-altered proofs with the same key. */
  privateKey: KeyObject;
}

export async function dpopClient(alg: JWSAlgorithm = 'ES256'): Promise<DpopClient> {
  const keys = await generateKeyPair(alg);
  return {
    alg,
    keys,
    privateKey: KeyObject.from(keys.privateKey),
    proof: (htu, htm, { nonce, accessToken, extra } = {}) => generateProof(keys, htu, htm, nonce, accessToken, extra),
  };
}

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The header and claims of a proof, decoded. */
export function decodeProof(proof: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, claims] = proof.split('.') as [string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()),
  };
}

/** Signs `input` as `alg` with a node:crypto key: ES256 (P1363), Ed25519/EdDSA, RS256, PS256, or HS256 with a secret. */
export function signAs(alg: string, key: KeyObject | Buffer) {
  return (input: string): string => {
    const data = Buffer.from(input);
    if (alg === 'HS256')
      return createHmac('sha256', key as Buffer)
        .update(data)
        .digest('base64url');
    const k = key as KeyObject;
    if (alg === 'ES256') return sign('sha256', data, { key: k, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    if (alg === 'PS256') {
      return sign('sha256', data, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString(
        'base64url',
      );
    }
    if (alg === 'RS256') return sign('sha256', data, k).toString('base64url');
    return sign(null, data, k).toString('base64url');
  };
}

/** A proof built by hand: any header and claims, signed by `signer` (or with an empty signature). */
export function forgeProof(header: unknown, claims: unknown, signer?: (input: string) => string): string {
  const input = `${segment(header)}.${segment(claims)}`;
  return `${input}.${signer ? signer(input) : ''}`;
}

/** A client's proof altered by hand (header and claims changed), signed again with the client's own key. */
export function alteredProof(
  client: DpopClient,
  proof: string,
  change: (parts: { header: Record<string, unknown>; claims: Record<string, unknown> }) => void,
): string {
  const parts = decodeProof(proof);
  change(parts);
  return forgeProof(parts.header, parts.claims, signAs(client.alg, client.privateKey));
}

/** A Node request listener served on an ephemeral port: a DPoP client must know the URL it sends to (`htu`). */
export async function listening(listener: RequestListener): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
