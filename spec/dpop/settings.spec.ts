import { expect } from 'chai';
import { DEFAULT_DPOP_ALGORITHMS } from '../../src/dpop/algorithms';
import { MemoryReplayCache } from '../../src/dpop/replay';
import { proofSettings } from '../../src/dpop/settings';
import { LoginConfigurationError } from '../../src/shared/errors';

describe('dpop/settings: proofSettings', () => {
  const replay = new MemoryReplayCache();

  it('applies the defaults: the common algorithms, 60 s, no leeway, 4096 bytes, no nonces', () => {
    expect(proofSettings({ replay })).to.deep.include({
      algorithms: DEFAULT_DPOP_ALGORITHMS,
      maxAge: 60,
      leeway: 0,
      maxLength: 4096,
      nonces: undefined,
    });
  });

  it('refuses none, HMAC and unknown algorithms, listing the allowed ones', () => {
    for (const algorithms of [['none'], ['HS256'], ['ES256', 'HS512'], [], 'ES256', ['es256']]) {
      expect(() => proofSettings({ replay, algorithms }), JSON.stringify(algorithms)).to.throw(
        LoginConfigurationError,
        /`dpop\.algorithms` lists proof algorithms from RS256, .*EdDSA, Ed25519 \(never none or HMAC\)/,
      );
    }
  });

  it('refuses a window, leeway or length out of range, a replay cache or nonce source without its methods, unknown fields', () => {
    const refused = (input: Record<string, unknown>, message: RegExp) =>
      expect(() => proofSettings({ replay, ...input } as never), JSON.stringify(input)).to.throw(
        LoginConfigurationError,
        message,
      );
    refused({ maxAge: 0 }, /maxAge/);
    refused({ maxAge: 301 }, /maxAge/);
    refused({ leeway: -1 }, /leeway/);
    refused({ maxLength: 100 }, /maxLength/);
    refused({ replay: {} }, /replay` needs a firstUse method/);
    refused({ nonces: { current() {} } }, /nonces` needs current and accepts/);
    refused({ window: 60 }, /unknown field\(s\) window; the fields are algorithms, maxAge/);
  });
});
