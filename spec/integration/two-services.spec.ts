import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { type Algorithm, type KeyConfig, LoginManager } from 'routing-controllers-login';
import { frozenClock } from '../helpers/clock';
import { forge, keyPair } from '../helpers/keys';
import { verifierApp } from '../helpers/verifier';

const SECOND = 1000;
const ISSUER = 'https://auth.example.com';

/** Two private keys (as PEM) for `algorithm`: the one in use and the next. */
function twoKeys(algorithm: Algorithm): [string, string] {
  if (algorithm === 'RS256') return [keyPair('rsa').privatePem, keyPair('rsa2').privatePem];
  const pem = () =>
    generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  return [pem().toString(), pem().toString()];
}

/**
 * The auth service: issues tokens and serves its JWK Set with a Cache-Control max-age, as
 * the README shows. `rotate` swaps its key list, as a redeploy with new configuration would.
 */
async function authService(clock: ReturnType<typeof frozenClock>, keys: KeyConfig[]) {
  const managerOf = (list: KeyConfig[]) =>
    new LoginManager({ keys: list, tokenUrl: '/auth/token', issuer: ISSUER, audience: 'orders', clock: clock.now });
  let manager = managerOf(keys);
  let jwksRequests = 0;
  const app = express();
  app.get('/.well-known/jwks.json', (_request, response) => {
    jwksRequests += 1;
    response.set('Cache-Control', 'public, max-age=600').json(manager.jwks());
  });
  app.post('/auth/token', (_request, response) => {
    response.json({ access_token: manager.createAccessToken({ data: { sub: 'ann' }, expiresIn: '1h' }) });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    jwksUri: `${origin}/.well-known/jwks.json`,
    jwksRequests: () => jwksRequests,
    async token(): Promise<string> {
      const response = await fetch(`${origin}/auth/token`, { method: 'POST' });
      return ((await response.json()) as { access_token: string }).access_token;
    },
    rotate(list: KeyConfig[]) {
      manager = managerOf(list);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('two services: an auth service issues, a resource service verifies through its JWK Set URL', () => {
  for (const algorithm of ['RS256', 'ES256'] as const) {
    it(`${algorithm}: follows the rotation in SECURITY.md without a restart, old tokens working until they expire`, async () => {
      const clock = frozenClock();
      const [oldPem, newPem] = twoKeys(algorithm);
      const oldKey: KeyConfig = { kid: '2026-05', algorithm, privateKey: oldPem };
      const newKey: KeyConfig = { kid: '2026-11', algorithm, privateKey: newPem };
      const publicOf = ({ kid, algorithm: alg, privateKey }: KeyConfig): KeyConfig => ({
        kid,
        algorithm: alg,
        publicKey: new LoginManager({ keys: [{ kid, algorithm: alg, privateKey }], tokenUrl: '/t' }).jwks().keys[0],
      });
      const auth = await authService(clock, [oldKey]);
      const resource = await verifierApp({
        jwksUri: auth.jwksUri,
        issuer: ISSUER,
        audience: 'orders',
        algorithms: [algorithm],
        clock: clock.now,
      });
      try {
        const oldToken = await auth.token();
        await resource.get(oldToken).expect(200, { sub: 'ann' });

        // 1. Publish the new key next to the old one, still signing with the old one.
        auth.rotate([oldKey, publicOf(newKey)]);
        // 2. Wait the cache max-age: the resource service refreshes its copy.
        clock.advance(600 * SECOND);
        await resource.get(await auth.token()).expect(200);
        // A token naming an unknown kid waits for the refresh that request started.
        await resource.get(forge({ alg: algorithm, kid: 'settle' }, { iss: ISSUER })).expect(401);
        expect(auth.jwksRequests()).to.equal(2);

        // 3. Switch signing to the new key: its tokens verify with no fetch, the old ones still do.
        auth.rotate([newKey, publicOf(oldKey)]);
        const newToken = await auth.token();
        await resource.get(newToken).expect(200, { sub: 'ann' });
        await resource.get(oldToken).expect(200, { sub: 'ann' });
        expect(auth.jwksRequests()).to.equal(2);

        // Old tokens work until they expire.
        clock.advance(3000 * SECOND);
        await resource.get(oldToken).expect(401);
        expect(resource.codes).to.include('token_expired');

        // 4. Retire the old key once its tokens have expired.
        auth.rotate([newKey]);
        await resource.get(await auth.token()).expect(200);
        expect(resource.codes.filter((code) => code !== 'signature_invalid' && code !== 'token_expired')).to.deep.equal(
          [],
        );
      } finally {
        await resource.close();
        await auth.close();
      }
    });
  }

  it('RS256 to ES256 without waiting: the first token with the new kid fetches the set again', async () => {
    const clock = frozenClock();
    const rsaKey: KeyConfig = { kid: 'rsa-1', algorithm: 'RS256', privateKey: keyPair('rsa').privatePem };
    const ecKey: KeyConfig = { kid: 'ec-1', algorithm: 'ES256', privateKey: keyPair('p256').privatePem };
    const auth = await authService(clock, [rsaKey]);
    const resource = await verifierApp({
      jwksUri: auth.jwksUri,
      algorithms: ['RS256', 'ES256'],
      audience: 'orders',
      clock: clock.now,
    });
    try {
      const rsaToken = await auth.token();
      await resource.get(rsaToken).expect(200);
      clock.advance(30 * SECOND); // the cooldown since the first fetch
      auth.rotate([ecKey, { ...rsaKey, privateKey: undefined, publicKey: keyPair('rsa').publicPem }]);
      await resource.get(await auth.token()).expect(200, { sub: 'ann' });
      await resource.get(rsaToken).expect(200, { sub: 'ann' });
      expect(auth.jwksRequests()).to.equal(2);
    } finally {
      await resource.close();
      await auth.close();
    }
  });
});
