import { expect } from 'chai';
import { HmacNonces } from '../../src/dpop/nonce';

const SECRET = 'a-nonce-secret-of-at-least-32-bytes!!';
const MINUTE = 60_000;

describe('dpop/nonce: HmacNonces', () => {
  const nonces = new HmacNonces({ secret: SECRET, lifetime: 60 });
  const start = Date.UTC(2030, 0, 1, 12);

  it('accepts its nonce in the period it was issued and the next, not after', () => {
    const nonce = nonces.current(start);
    expect(nonces.accepts(nonce, start)).to.equal(true);
    expect(nonces.accepts(nonce, start + MINUTE)).to.equal(true);
    expect(nonces.accepts(nonce, start + 2 * MINUTE)).to.equal(false);
    expect(nonces.accepts(nonce, start - MINUTE)).to.equal(false);
  });

  it('rotates: a new nonce each period, the same one within a period', () => {
    expect(nonces.current(start + 1000)).to.equal(nonces.current(start));
    expect(nonces.current(start + MINUTE)).not.to.equal(nonces.current(start));
  });

  it('is stateless across instances sharing the secret, and refuses another secret or a tampered nonce', () => {
    const twin = new HmacNonces({ secret: SECRET, lifetime: 60 });
    const other = new HmacNonces({ secret: `${SECRET}-other`, lifetime: 60 });
    const nonce = nonces.current(start);
    expect(twin.accepts(nonce, start)).to.equal(true);
    expect(other.accepts(nonce, start)).to.equal(false);
    const [period, mac] = nonce.split('.') as [string, string];
    expect(nonces.accepts(`${Number(period) + 1}.${mac}`, start + MINUTE)).to.equal(false);
    for (const forged of ['', '.', `${period}.`, `${period}.${mac.slice(1)}`, `${period}.${mac}x`, mac]) {
      expect(nonces.accepts(forged, start), forged).to.equal(false);
    }
  });

  it('refuses a short secret and a lifetime out of range at construction', () => {
    expect(() => new HmacNonces({ secret: 'short' })).to.throw(RangeError, /32 bytes/);
    expect(() => new HmacNonces({ secret: SECRET, lifetime: 0 })).to.throw(RangeError, /lifetime/);
  });
});
