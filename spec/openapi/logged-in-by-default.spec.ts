import { expect } from 'chai';
import express from 'express';
import { Body, Get, JsonController, Post, useExpressServer } from 'routing-controllers';
import {
  LoggedIn,
  LoginManager,
  loginConfig,
  type OpenApiSecurityRequirement,
  PasswordForm,
  Public,
  User,
  withLoginSecurity,
} from 'routing-controllers-login';
import { Service } from 'typedi';
import { HS256_SECRET } from '../helpers/keys';
import type { Account } from '../helpers/users';
import { generatedSpec, storageOf } from './fixture';

@Service()
@JsonController('/notes')
class NotesController {
  @Get('/')
  list() {
    return [];
  }

  @Get('/peek')
  peek(@User({ required: false }) user?: Account) {
    return { email: user?.email ?? null };
  }

  @Public()
  @Get('/count')
  count() {
    return 0;
  }
}

@Public()
@Service()
@JsonController('/auth')
class OpenAuthController {
  @Post('/token')
  token(@Body() form: PasswordForm) {
    return { username: form.username };
  }

  @LoggedIn({ scopes: ['admin'] })
  @Get('/admin')
  admin() {
    return { admin: true };
  }
}

interface Operation {
  security?: OpenApiSecurityRequirement[];
  responses: Record<string, unknown>;
}

const CONTROLLERS = [NotesController, OpenAuthController];
const options = { secret: HS256_SECRET, tokenUrl: '/auth/token' };
const byDefault = new LoginManager({ ...options, loggedInByDefault: true });
const LOGIN: OpenApiSecurityRequirement[] = [{ oauth2: [] }, { bearer: [] }];

function document(manager: LoginManager) {
  const storage = storageOf(CONTROLLERS);
  const spec = withLoginSecurity(generatedSpec(storage), manager, { storage });
  return (path: string, method: string) => (spec.paths[path] as Record<string, Operation>)[method] as Operation;
}

describe('openapi: withLoginSecurity for a loggedInByDefault manager', () => {
  it('gives every operation without @Public() the login, with its 401, an optional @User() included', () => {
    const operation = document(byDefault);
    expect(operation('/notes/', 'get').security).to.deep.equal(LOGIN);
    expect(operation('/notes/', 'get').responses).to.have.property('401');
    expect(operation('/notes/peek', 'get').security).to.deep.equal(LOGIN);
  });

  it('leaves @Public() operations open, on the method and on the class', () => {
    const operation = document(byDefault);
    expect(operation('/notes/count', 'get').security).to.equal(undefined);
    expect(operation('/notes/count', 'get').responses).not.to.have.property('401');
    expect(operation('/auth/token', 'post').security).to.equal(undefined);
  });

  it("keeps a method's @LoggedIn({ scopes }) on a @Public() class", () => {
    expect(document(byDefault)('/auth/admin', 'get').security).to.deep.equal([{ oauth2: ['admin'] }, { bearer: [] }]);
  });

  it('documents the same once the app is built (its marks in the metadata), and nothing more for a manager without it', () => {
    useExpressServer(express(), loginConfig({ controllers: CONTROLLERS }, byDefault));
    expect(document(byDefault)('/notes/', 'get').security).to.deep.equal(LOGIN);
    const plain = document(new LoginManager(options));
    expect(plain('/notes/', 'get').security).to.equal(undefined);
    expect(plain('/notes/peek', 'get').security).to.deep.equal([{}, ...LOGIN]);
    expect(plain('/auth/admin', 'get').security).to.deep.equal([{ oauth2: ['admin'] }, { bearer: [] }]);
  });
});
