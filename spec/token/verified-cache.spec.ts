import { expect } from 'chai';
import { type KeyRing, keyRingOf } from '../../src/keys/key-ring';
import { signToken } from '../../src/token/sign';
import type { KeySelector, VerifyPolicy } from '../../src/token/trust';
import { VerifiedTokens } from '../../src/token/verified-cache';
import { HS256_SECRET } from '../helpers/keys';

const now = 1_700_000_000;
const claims = (sub: string) => ({ sub, iat: now, exp: now + 60 });

/** Keys that can be swapped at runtime, as a remote JWK Set's are: the cache sees only `version`. */
function rotatingKeys(first: KeyRing): KeySelector & { rotate(next: KeyRing, bump?: boolean): void } {
  let current = first;
  let version = 0;
  return {
    get version() {
      return version;
    },
    select: (header) => current.select(header),
    rotate(next, bump = true) {
      current = next;
      if (bump) version += 1;
    },
  };
}

describe('token/verified-cache: VerifiedTokens', () => {
  const old = keyRingOf([{ kid: 'old', algorithm: 'HS256', secret: HS256_SECRET }]);
  const fresh = keyRingOf([{ kid: 'new', algorithm: 'HS256', secret: `${HS256_SECRET}-new` }]);
  const signer = (ring: KeyRing) => ring.signer as NonNullable<KeyRing['signer']> & { signKey: NonNullable<unknown> };
  const policyFor = (keys: KeySelector): VerifyPolicy => ({
    keys,
    leeway: 0,
    maxLifetime: 86_400,
    requiredClaims: [],
    maxTokenLength: 8192,
  });

  it('forgets every token when the keys change (KeySelector.version): a rotated-out key is refused even if cached', () => {
    const ring = rotatingKeys(old);
    const policy = policyFor(ring);
    const cache = new VerifiedTokens(100, policy);
    const token = signToken(claims('u'), signer(old));
    expect(cache.verify(token, now).ok).to.equal(true);
    expect(cache.verify(token, now).ok).to.equal(true);
    expect(cache.size).to.equal(1);

    // Without the version hook the cache would keep serving it: the control case.
    ring.rotate(fresh, false);
    expect(cache.verify(token, now).ok).to.equal(true);

    ring.rotate(fresh);
    expect(cache.verify(token, now)).to.deep.equal({ ok: false, code: 'signature_invalid' });
    expect(cache.size).to.equal(0);
    const current = signToken(claims('u'), signer(fresh));
    expect(cache.verify(current, now).ok).to.equal(true);
  });

  it('holds at most `size` tokens, least recently used leaving first', () => {
    const policy = policyFor(old);
    const cache = new VerifiedTokens(3, policy);
    const tokens = ['a', 'b', 'c', 'd'].map((sub) => signToken(claims(sub), signer(old)));
    for (const token of [...tokens, ...tokens]) expect(cache.verify(token, now).ok).to.equal(true);
    expect(cache.size).to.equal(3);
  });

  it('remembers a token on its second sighting only, so one-shot tokens never push a hot one out', () => {
    const policy = policyFor(old);
    const cache = new VerifiedTokens(2, policy);
    const hot = signToken(claims('hot'), signer(old));
    cache.verify(hot, now);
    expect(cache.size).to.equal(0);
    cache.verify(hot, now);
    expect(cache.size).to.equal(1);
    for (let i = 0; i < 500; i++)
      expect(cache.verify(signToken(claims(`once-${i}`), signer(old)), now).ok).to.equal(true);
    expect(cache.size).to.equal(1);
    const again = cache.verify(hot, now);
    expect(again.ok).to.equal(true);
    // The same frozen object as the cached entry: a hit, not a second verification.
    expect(again).to.equal(cache.verify(hot, now));
  });

  it('remembers nothing that failed, and nothing with size 0', () => {
    const policy = policyFor(old);
    const cache = new VerifiedTokens(10, policy);
    expect(cache.verify(signToken({ sub: 'u', iat: now, exp: now }, signer(old)), now).ok).to.equal(false);
    expect(cache.verify('not.a.token', now).ok).to.equal(false);
    expect(cache.size).to.equal(0);
    const off = new VerifiedTokens(0, policy);
    expect(off.verify(signToken(claims('u'), signer(old)), now).ok).to.equal(true);
    expect(off.size).to.equal(0);
  });

  it('drops an entry whose token expired on the next lookup', () => {
    const policy = policyFor(old);
    const cache = new VerifiedTokens(10, policy);
    const token = signToken(claims('u'), signer(old));
    expect(cache.verify(token, now).ok).to.equal(true);
    expect(cache.verify(token, now).ok).to.equal(true);
    expect(cache.size).to.equal(1);
    expect(cache.verify(token, now + 60)).to.deep.equal({ ok: false, code: 'token_expired' });
    expect(cache.size).to.equal(0);
  });
});
