import { expect } from 'chai';
import { bindingOf, confirmationClaim } from '../../src/dpop/binding';
import { jwkThumbprint } from '../../src/dpop/thumbprint';
import { keyPair } from '../helpers/keys';

describe('dpop/binding: cnf.jkt (RFC 9449 §6)', () => {
  const jkt = jwkThumbprint(keyPair('p256').publicKey) as string;

  it('reads a bound token, a bearer token, and a cnf that cannot be read', () => {
    expect(bindingOf({ sub: 'a', ...confirmationClaim(jkt) })).to.deep.equal({ kind: 'dpop', jkt });
    expect(bindingOf({ sub: 'a' })).to.deep.equal({ kind: 'bearer' });
    for (const cnf of [null, 'x', [], {}, { jkt: 7 }, { jkt: `${jkt}=` }, { jkt: 'short' }, { 'x5t#S256': jkt }]) {
      expect(bindingOf({ cnf }), JSON.stringify(cnf)).to.deep.equal({ kind: 'invalid' });
    }
  });
});
