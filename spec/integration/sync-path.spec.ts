import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import { InvalidCredentialsError, LoginManager, type LoginOptions } from 'routing-controllers-login';
import { HS256_SECRET } from '../helpers/keys';

/** A real Node request carrying `authorization`, and its response, as routing-controllers' express driver hands them. */
function action(authorization: string) {
  const request = new IncomingMessage(new Socket());
  request.method = 'GET';
  request.headers = { authorization };
  request.rawHeaders = ['Authorization', authorization];
  return { request, response: new ServerResponse(request) };
}

const isThenable = (value: unknown) => typeof (value as { then?: unknown } | null)?.then === 'function';

describe('the request path stays synchronous while every answer is', () => {
  const roles: unknown[] = [];
  const setup = (options: Partial<LoginOptions<{ sub: string }>> = {}) => {
    const manager = new LoginManager<{ sub: string }>({
      secret: HS256_SECRET,
      tokenUrl: '/t',
      userLoader: (sub) => ({ sub }),
      ...options,
    });
    return { manager, bearer: `Bearer ${manager.createAccessToken({ data: { sub: 'ada' } })}` };
  };

  it('answers the authorization and current-user checkers without a promise (memory store, synchronous loader)', () => {
    const { manager, bearer } = setup();
    const first = action(bearer);
    expect(manager.authorizationChecker(first, roles)).to.equal(true);
    expect(manager.currentUserChecker(first)).to.deep.equal({ sub: 'ada' });
    // The next request of the same token comes from the verified-token cache: still no promise.
    expect(manager.authorizationChecker(action(bearer), roles)).to.equal(true);
  });

  it('stays synchronous for an access token of createTokens (a family to look up) and after its family is revoked', async () => {
    const { manager } = setup();
    const { accessToken } = await manager.createTokens({ data: { sub: 'ada' } });
    expect(manager.authorizationChecker(action(`Bearer ${accessToken}`), roles)).to.equal(true);
    await manager.logout(action(`Bearer ${accessToken}`).request);
    expect(() => manager.authorizationChecker(action(`Bearer ${accessToken}`), roles)).to.throw(
      InvalidCredentialsError,
    );
  });

  it('stays synchronous in cookie mode for a request without any token (no refresh cookie to renew from)', () => {
    const { manager } = setup({ useCookie: true });
    const anonymous = action('');
    expect(manager.currentUserChecker(anonymous)).to.equal(undefined);
  });

  it('answers with a promise once an answer is asynchronous (a loader returning a promise)', async () => {
    const { manager, bearer } = setup({ userLoader: async (sub) => ({ sub }) });
    const answer = manager.authorizationChecker(action(bearer), roles);
    expect(isThenable(answer)).to.equal(true);
    expect(await answer).to.equal(true);
  });

  it('throws a refusal synchronously on the synchronous path, which routing-controllers catches', () => {
    const { manager } = setup();
    expect(() => manager.authorizationChecker(action('Bearer not.a.token'), roles)).to.throw(InvalidCredentialsError);
  });

  it('keeps what it remembers per request off the request: no key and no symbol added (a WeakMap holds it)', () => {
    const { manager, bearer } = setup();
    const { request, response } = action(bearer);
    const before = Reflect.ownKeys(request);
    manager.authorizationChecker({ request, response }, roles);
    expect(manager.currentUserChecker({ request, response })).to.deep.equal({ sub: 'ada' });
    expect(Reflect.ownKeys(request)).to.deep.equal(before);
  });
});
