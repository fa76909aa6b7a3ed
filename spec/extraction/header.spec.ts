import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import { bearerToken } from '../../src/http/extraction/header';

/** A request as Node parses it: `headers` keeps the first Authorization, `rawHeaders` every one in order. */
const withAuthorization = (...values: string[]): IncomingMessage =>
  ({
    headers: { host: 'x', authorization: values[0] },
    rawHeaders: ['Host', 'x', ...values.flatMap((value, i) => [i % 2 ? 'AUTHORIZATION' : 'Authorization', value])],
  }) as unknown as IncomingMessage;

describe('extraction/header: bearerToken', () => {
  it('reads Bearer <token>, the scheme in any case', () => {
    expect(bearerToken(withAuthorization('Bearer abc.def.ghi'))).to.equal('abc.def.ghi');
    expect(bearerToken(withAuthorization('bearer abc'))).to.equal('abc');
    expect(bearerToken(withAuthorization('BEARER abc'))).to.equal('abc');
    expect(bearerToken(withAuthorization('Bearer   a-b_c~d+e/f=='))).to.equal('a-b_c~d+e/f==');
  });

  it('counts anything else as no token', () => {
    for (const value of [
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Token abc',
      'Bearer abc def',
      'Bearer "abc"',
      'Bearer abc,def',
      'Bearerabc',
      'Bearer a=b',
      '',
    ]) {
      expect(bearerToken(withAuthorization(value)), value).to.equal(undefined);
    }
    expect(bearerToken({ headers: {} } as IncomingMessage)).to.equal(undefined);
  });

  it('counts several Authorization headers as no token, whatever their case', () => {
    expect(bearerToken(withAuthorization('Bearer abc', 'Bearer def'))).to.equal(undefined);
    expect(bearerToken(withAuthorization('Bearer abc', 'Bearer abc'))).to.equal(undefined);
    expect(bearerToken(withAuthorization('Bearer abc', 'Bearer abc', 'Bearer abc'))).to.equal(undefined);
  });

  it('is not confused by a header value that reads "authorization"', () => {
    const request = {
      headers: { authorization: 'Bearer abc', 'x-note': 'authorization' },
      rawHeaders: ['Authorization', 'Bearer abc', 'X-Note', 'authorization'],
    } as unknown as IncomingMessage;
    expect(bearerToken(request)).to.equal('abc');
  });
});
