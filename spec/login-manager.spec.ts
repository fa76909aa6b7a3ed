import { expect } from 'chai';
import type { Response } from 'express';
import jwt from 'jsonwebtoken';
import { Get, JsonController, Res } from 'routing-controllers';
import {
  InvalidCredentialsError,
  LoggedIn,
  LoginConfigurationError,
  LoginManager,
  type LoginOptions,
  type TokenPayload,
  User,
  UserLoader,
} from 'routing-controllers-login';
import request from 'supertest';
import { Service } from 'typedi';
import { appWith } from './helpers/app';
import { HS256_SECRET, keyPair, nowSeconds } from './helpers/keys';
import { ACCOUNTS, type Account } from './helpers/users';

@Service()
class AccountRepository {
  find(email: string): Account | undefined {
    return ACCOUNTS[email];
  }
}

@Service()
class AccountService {
  constructor(readonly repository: AccountRepository) {}

  @UserLoader()
  load(sub: string, payload: TokenPayload) {
    const account = this.repository.find(sub);
    return account && { ...account, tenant: payload.tenant };
  }
}

@Service()
class SecondLoader {
  @UserLoader()
  find(sub: string) {
    return { sub };
  }
}

class NotAService {
  @UserLoader()
  find(sub: string) {
    return { sub };
  }
}

@Service()
@JsonController('/manager')
class CookieController {
  @Get('/persistent')
  persistent(@Res() response: Response) {
    const token = managerWithLoaderClass.createAccessToken({ data: { sub: 'john@example.com' } });
    managerWithLoaderClass.setCookie(response, token, {
      maxAge: 3600,
      secure: true,
      sameSite: 'strict',
      domain: 'example.com',
    });
    return { ok: true };
  }

  @LoggedIn()
  @Get('/me')
  me(@User() user: unknown) {
    return user;
  }
}

const managerWithLoaderClass = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: AccountService });

/** Every option name, checked by the compiler against LoginOptions: a new option joins this list. */
const EVERY_OPTION = {
  secret: true,
  tokenUrl: true,
  algorithm: true,
  useHeader: true,
  useCookie: true,
  cookieName: true,
  defaultExpiry: true,
  notAuthenticatedError: true,
  outOfScopeError: true,
  userLoader: true,
  scopes: true,
  clock: true,
  refreshExpiry: true,
  revocationStore: true,
  storeTimeout: true,
  csrf: true,
  refreshCookieWithin: true,
  cookieOptions: true,
  logger: true,
  keys: true,
  issuer: true,
  audience: true,
  anyAudience: true,
  clockTolerance: true,
  maxAge: true,
  requiredClaims: true,
  maxTokenLength: true,
  exposeErrorDescriptions: true,
  onAuthFailure: true,
  loginPage: true,
  jwksUri: true,
  discovery: true,
  algorithms: true,
  issuers: true,
  remoteKeys: true,
  maxTokenLifetime: true,
  rotateRefreshTokens: true,
  refreshGrace: true,
  maxSessions: true,
  noStore: true,
  tokenCacheSize: true,
  refreshCookieName: true,
  csrfCookieName: true,
  csrfSecret: true,
  accessTokenType: true,
  dpop: true,
  loggedInByDefault: true,
} satisfies Record<keyof LoginOptions, true>;

describe('LoginManager', () => {
  const manager = new LoginManager<Account>({
    secret: HS256_SECRET,
    tokenUrl: '/t',
    userLoader: (sub) => ACCOUNTS[sub],
  });

  describe('createAccessToken', () => {
    it('writes sub, the other data, iat, exp and de-duplicated scopes', () => {
      const before = nowSeconds();
      const token = manager.createAccessToken({ data: { sub: 'u', tenant: 't1' }, scopes: ['a', 'a', 'b'] });
      const payload = jwt.verify(token, HS256_SECRET) as TokenPayload;
      expect(payload).to.include({ sub: 'u', tenant: 't1' });
      expect(payload.scopes).to.deep.equal(['a', 'b']);
      expect(payload.iat).to.be.within(before, nowSeconds() + 1);
      expect(payload.exp - Math.floor(payload.iat as number)).to.equal(900);
    });

    it('uses expiresIn, then defaultExpiry', () => {
      const short = jwt.decode(manager.createAccessToken({ data: { sub: 'u' }, expiresIn: '2m' })) as TokenPayload;
      expect(short.exp - Math.floor(short.iat as number)).to.equal(120);
      const daily = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', defaultExpiry: '1d' });
      const long = jwt.decode(daily.createAccessToken({ data: { sub: 'u' } })) as TokenPayload;
      expect(long.exp - Math.floor(long.iat as number)).to.equal(86_400);
    });

    it('throws TypeError without a non-empty string sub', () => {
      expect(() => manager.createAccessToken({ data: { sub: '' } })).to.throw(TypeError, /data\.sub/);
      expect(() => manager.createAccessToken({ data: {} as never })).to.throw(TypeError, /data\.sub/);
    });

    it('throws a TypeError naming expiresIn for fastapi-login’s `expires`, instead of ignoring it', () => {
      const request = { data: { sub: 'u' }, expires: 3600 } as unknown as Parameters<
        typeof manager.createAccessToken
      >[0];
      expect(() => manager.createAccessToken(request)).to.throw(TypeError, /`expires`; did you mean `expiresIn`/);
      expect(() => manager.createRefreshToken(request)).to.throw(TypeError, /`expires`; did you mean `expiresIn`/);
    });

    it('signs with the configured asymmetric algorithm', () => {
      for (const [algorithm, kind] of [
        ['RS256', 'rsa'],
        ['PS384', 'rsa'],
        ['ES256', 'p256'],
        ['ES512', 'p521'],
      ] as const) {
        const asymmetric = new LoginManager({ secret: keyPair(kind).privatePem, tokenUrl: '/t', algorithm });
        const token = asymmetric.createAccessToken({ data: { sub: 'u' } });
        expect(jwt.decode(token, { complete: true })?.header.alg).to.equal(algorithm);
        expect(jwt.verify(token, keyPair(kind).publicPem, { algorithms: [algorithm] })).to.include({ sub: 'u' });
      }
    });
  });

  describe('getCurrentUser', () => {
    it('verifies and loads', async () => {
      const token = manager.createAccessToken({ data: { sub: 'jane@example.com' } });
      expect(await manager.getCurrentUser(token)).to.deep.equal(ACCOUNTS['jane@example.com']);
    });

    it('rejects with InvalidCredentialsError when the loader returns null or undefined', async () => {
      for (const result of [null, undefined]) {
        const nobody = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: () => result });
        const error = await nobody
          .getCurrentUser(nobody.createAccessToken({ data: { sub: 'u' } }))
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InvalidCredentialsError).and.include({ code: 'user_not_found' });
      }
    });

    it('frees the loader from the clock: a frozen clock decides expiry', async () => {
      let now = Date.UTC(2030, 0, 1);
      const frozen = new LoginManager({
        secret: HS256_SECRET,
        tokenUrl: '/t',
        userLoader: (sub) => sub,
        clock: () => now,
      });
      const token = frozen.createAccessToken({ data: { sub: 'u' }, expiresIn: 60 });
      now += 59_999;
      expect(await frozen.getCurrentUser(token)).to.equal('u');
      now += 1;
      const error = await frozen.getCurrentUser(token).catch((e: unknown) => e);
      expect(error).to.include({ code: 'token_expired' });
    });
  });

  describe('hasScopes', () => {
    const token = manager.createAccessToken({ data: { sub: 'u' }, scopes: ['read', 'write'] });

    it('is true when every required scope is granted', () => {
      expect(manager.hasScopes(token, ['read'])).to.equal(true);
      expect(manager.hasScopes(token, ['write', 'read'])).to.equal(true);
      expect(manager.hasScopes(token, [])).to.equal(true);
      expect(manager.hasScopes(token, ['admin'])).to.equal(false);
      expect(manager.hasScopes(manager.createAccessToken({ data: { sub: 'u' } }), ['read'])).to.equal(false);
    });

    it('throws the not-authenticated error for an invalid token', () => {
      expect(() => manager.hasScopes('garbage', [])).to.throw(InvalidCredentialsError);
    });
  });

  describe('user loaders', () => {
    it('userLoader(fn) sets the loader and returns fn unchanged', async () => {
      const late = new LoginManager<object>({
        secret: HS256_SECRET,
        tokenUrl: '/t',
        userLoader: () => ({ first: true }),
      });
      const loader = (sub: string, payload: TokenPayload) => ({ sub, exp: payload.exp });
      expect(late.userLoader(loader)).to.equal(loader);
      const token = late.createAccessToken({ data: { sub: 'u' } });
      expect(await late.getCurrentUser(token)).to.deep.include({ sub: 'u' });
      expect(() => late.userLoader('nope' as never)).to.throw(TypeError);
    });

    it('resolves a loader class from typedi, with its dependencies injected, and passes the payload', async () => {
      const token = managerWithLoaderClass.createAccessToken({ data: { sub: 'john@example.com', tenant: 'acme' } });
      expect(await managerWithLoaderClass.getCurrentUser(token)).to.deep.equal({
        ...ACCOUNTS['john@example.com'],
        tenant: 'acme',
      });
      const app = appWith(managerWithLoaderClass, { controllers: [CookieController] });
      await request(app).get('/manager/me').set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('names every @UserLoader() method when there are several and none was chosen', async () => {
      const ambiguous = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t' });
      const error = await ambiguous
        .getCurrentUser(ambiguous.createAccessToken({ data: { sub: 'u' } }))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LoginConfigurationError);
      expect((error as Error).message).to.match(
        /several @UserLoader\(\) methods: .*AccountService\.load.*SecondLoader\.find/,
      );
      expect(SecondLoader).to.be.a('function');
    });

    it('says to add @Service() when the loader class is not a typedi service', async () => {
      const unregistered = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: NotAService });
      const error = await unregistered
        .getCurrentUser(unregistered.createAccessToken({ data: { sub: 'u' } }))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LoginConfigurationError);
      expect((error as Error).message).to.match(/NotAService .* add @Service\(\)/);
    });

    it('refuses @UserLoader() on a static method', () => {
      expect(() => {
        // biome-ignore lint/complexity/noStaticOnlyClass: the static method is the point.
        class Static {
          @UserLoader()
          static find() {
            return null;
          }
        }
        return Static;
      }).to.throw(TypeError, /static/);
    });
  });

  describe('setCookie', () => {
    it('writes maxAge, secure, sameSite and domain', async () => {
      const app = appWith(managerWithLoaderClass, { controllers: [CookieController] });
      const response = await request(app).get('/manager/persistent').expect(200);
      const cookies = response.headers['set-cookie'] as unknown as string[];
      expect(cookies).to.have.length(1);
      expect(cookies[0]).to.match(
        /^access-token=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Domain=example\.com; Max-Age=3600; HttpOnly; Secure; SameSite=Strict$/,
      );
    });

    it('refuses a value that is not an access token of this manager', () => {
      const response = { getHeader: () => undefined, setHeader: () => undefined } as never;
      expect(() => manager.setCookie(response, 'a.b.c')).to.throw(TypeError, /not a valid access token/);
      const refresh = manager.createRefreshToken({ data: { sub: 'u' } });
      expect(() => manager.setCookie(response, refresh)).to.throw(TypeError, /token_type_invalid/);
    });
  });

  it('refuses bad configuration at construction', () => {
    expect(() => new LoginManager({ secret: 'short', tokenUrl: '/t' })).to.throw(
      LoginConfigurationError,
      /at least 32/,
    );
    expect(() => new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', algorithm: 'RS256' })).to.throw(
      LoginConfigurationError,
      /PEM private key/,
    );
  });

  it('exposes tokenUrl and scopes for documentation', () => {
    const documented = new LoginManager({
      secret: HS256_SECRET,
      tokenUrl: '/auth/token',
      scopes: { read: 'Read things' },
    });
    expect(documented.tokenUrl).to.equal('/auth/token');
    expect(documented.scopes).to.deep.equal({ read: 'Read things' });
  });

  describe('after construction (frozen)', () => {
    class LogInFirst extends Error {}

    it('throws on assigning an option, and keeps working as configured', async () => {
      const frozen = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t', userLoader: () => undefined });
      const loose = frozen as unknown as Record<string, unknown>;
      expect(Object.isFrozen(frozen)).to.equal(true);
      expect(() => {
        loose.notAuthenticatedError = LogInFirst;
      }).to.throw(TypeError, /notAuthenticatedError/);
      expect(() => {
        loose.tokenUrl = '/elsewhere';
      }).to.throw(TypeError, /tokenUrl/);
      expect(frozen.tokenUrl).to.equal('/t');
      expect(loose.notAuthenticatedError).to.equal(undefined);
      const error = await frozen.getCurrentUser('not-a-token').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidCredentialsError);
      expect(() => {
        (frozen.scopes as Record<string, string>).extra = 'x';
      }).to.throw(TypeError);
    });

    it('names the fix, passing it to the constructor, for every option assigned afterwards', () => {
      const frozen = new LoginManager({ secret: HS256_SECRET, tokenUrl: '/t' }) as unknown as Record<string, unknown>;
      for (const name of Object.keys(EVERY_OPTION)) {
        expect(() => {
          frozen[name] = undefined;
        }, name).to.throw(TypeError, `pass \`${name}\` to new LoginManager({ ..., ${name} })`);
      }
      expect(Object.isFrozen(frozen)).to.equal(true);
    });

    it('still reads tokenUrl and scopes, and still calls userLoader(), whose names are options too', () => {
      const manager = new LoginManager<{ sub: string }>({ secret: HS256_SECRET, tokenUrl: '/t', scopes: { a: 'A' } });
      expect(manager.tokenUrl).to.equal('/t');
      expect(manager.scopes).to.deep.equal({ a: 'A' });
      const loader = (sub: string) => ({ sub });
      expect(manager.userLoader(loader)).to.equal(loader);
    });

    it('lets a subclass add its own fields (it freezes itself if it wants to)', () => {
      class Tagged extends LoginManager {
        readonly tag = 'mine';
      }
      const tagged = new Tagged({ secret: HS256_SECRET, tokenUrl: '/t' });
      expect(tagged.tag).to.equal('mine');
      expect(tagged.createAccessToken({ data: { sub: 'u' } })).to.be.a('string');
    });
  });
});
