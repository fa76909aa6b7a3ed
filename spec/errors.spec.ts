import { expect } from 'chai';
import { HttpError } from 'routing-controllers';
import {
  BodyNotParsedError,
  bearerChallenge,
  CsrfError,
  InsufficientScopeError,
  InvalidCredentialsError,
  LoginConfigurationError,
  LoginError,
  LoginStoreUnavailableError,
} from 'routing-controllers-login';

describe('errors', () => {
  it('InvalidCredentialsError is a 401 HttpError and LoginError, instanceof intact', () => {
    const error = new InvalidCredentialsError();
    expect(error)
      .to.be.instanceOf(InvalidCredentialsError)
      .and.instanceOf(LoginError)
      .and.instanceOf(HttpError)
      .and.instanceOf(Error);
    expect(error).to.include({
      httpCode: 401,
      message: 'Invalid credentials',
      name: 'InvalidCredentialsError',
      code: 'credentials_invalid',
    });
  });

  it('InsufficientScopeError is a 403 HttpError', () => {
    const error = new InsufficientScopeError();
    expect(error).to.be.instanceOf(InsufficientScopeError).and.instanceOf(LoginError).and.instanceOf(HttpError);
    expect(error).to.include({ httpCode: 403, message: 'Insufficient scope', code: 'insufficient_scope' });
  });

  it('keeps private reasons out of the JSON body', () => {
    expect(JSON.parse(JSON.stringify(new InvalidCredentialsError('signature_invalid')))).to.deep.equal({
      name: 'InvalidCredentialsError',
      message: 'Invalid credentials',
    });
  });

  it('carries the http-errors fields: status and statusCode equal to httpCode, expose for 4xx', () => {
    const refusals = [
      new InvalidCredentialsError(),
      new InsufficientScopeError(),
      new CsrfError(),
      new BodyNotParsedError(),
    ];
    for (const error of refusals) {
      expect(error).to.include({ status: error.httpCode, statusCode: error.httpCode, expose: true });
    }
    expect(new LoginStoreUnavailableError()).to.include({ httpCode: 503, status: 503, statusCode: 503, expose: false });
  });

  it('BodyNotParsedError is a 400 whose code is in the body, so the client sees why', () => {
    expect(new BodyNotParsedError())
      .to.be.instanceOf(LoginError)
      .and.include({ httpCode: 400, code: 'body_not_parsed' });
    expect(JSON.parse(JSON.stringify(new BodyNotParsedError())).code).to.equal('body_not_parsed');
  });

  it('keeps stack traces out of refusals, so handlers printing err.stack show only the name and message', () => {
    expect(new InvalidCredentialsError().stack).to.equal('InvalidCredentialsError: Invalid credentials');
    expect(Object.keys(new InsufficientScopeError())).not.to.include('stack');
  });

  it('prefixes configuration errors with the package name', () => {
    expect(new LoginConfigurationError('x').message).to.equal('routing-controllers-login: x');
  });

  it('formats RFC 6750 challenges', () => {
    expect(bearerChallenge()).to.equal('Bearer');
    expect(bearerChallenge({ error: 'invalid_token' })).to.equal('Bearer error="invalid_token"');
    expect(bearerChallenge({ error: 'insufficient_scope', scopes: ['a', 'b'] })).to.equal(
      'Bearer error="insufficient_scope", scope="a b"',
    );
  });
});
