import { expect } from 'chai';
import { accountKey, addressKey, addressOf, storeKey } from '../../src/throttle/client';

describe('throttle/client', () => {
  it('counts IPv4 addresses as they are, also IPv4-mapped', () => {
    expect(addressKey('203.0.113.7')).to.equal('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).to.equal('203.0.113.7');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    const key = '2001:db8:0:1::/64';
    expect(addressKey('2001:db8:0:1::1')).to.equal(key);
    expect(addressKey('2001:db8::1:ffff:ffff:ffff:ffff')).to.equal(key);
    expect(addressKey('2001:0db8:0000:0001:0000:0000:0000:0abc')).to.equal(key);
    expect(addressKey('::1')).to.equal('0:0:0:0::/64');
    expect(addressKey('2001:db8:0:2::1')).not.to.equal(key);
  });

  it('reads the address from a string, express/Koa `ip`, or the socket', () => {
    expect(addressOf('198.51.100.1')).to.equal('198.51.100.1');
    expect(addressOf({ ip: '198.51.100.2', socket: { remoteAddress: '10.0.0.1' } })).to.equal('198.51.100.2');
    expect(addressOf({ socket: { remoteAddress: '10.0.0.1' } })).to.equal('10.0.0.1');
    expect(addressOf({})).to.equal(undefined);
    expect(addressOf('')).to.equal(undefined);
  });

  it('folds case in account names and keeps them out of store keys', () => {
    expect(accountKey(' John@Example.com')).to.equal(accountKey('john@example.com'));
    const key = storeKey('account', 'john@example.com');
    expect(key).to.match(/^account:[\w-]{32}$/);
    expect(key).not.to.include('john');
  });
});
