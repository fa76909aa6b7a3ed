import { expect } from 'chai';
import { dpopChallenge } from '../../src/dpop/challenge';

describe('dpop/challenge: WWW-Authenticate: DPoP (RFC 9449 §7.1)', () => {
  it('lists the algorithms alone when no token was sent', () => {
    expect(dpopChallenge({ algs: ['ES256', 'EdDSA'] })).to.equal('DPoP algs="ES256 EdDSA"');
  });

  it('puts the error and its description first, then algs', () => {
    expect(dpopChallenge({ algs: ['ES256'], error: 'invalid_dpop_proof' })).to.equal(
      'DPoP error="invalid_dpop_proof", algs="ES256"',
    );
    expect(
      dpopChallenge({
        algs: ['ES256'],
        error: 'use_dpop_nonce',
        description: 'Resource server requires nonce in DPoP proof',
      }),
    ).to.equal(
      'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof", algs="ES256"',
    );
  });

  it('names the required scopes with insufficient_scope only, and drops a description without an error', () => {
    expect(
      dpopChallenge({ algs: ['ES256'], error: 'insufficient_scope', scopes: ['orders:read', 'orders:write'] }),
    ).to.equal('DPoP error="insufficient_scope", scope="orders:read orders:write", algs="ES256"');
    expect(dpopChallenge({ algs: ['ES256'], error: 'invalid_token', scopes: ['x'] })).to.equal(
      'DPoP error="invalid_token", algs="ES256"',
    );
    expect(dpopChallenge({ algs: ['ES256'], description: 'x' })).to.equal('DPoP algs="ES256"');
  });
});
