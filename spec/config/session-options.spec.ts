import { expect } from 'chai';
import type { LoginOptions } from '../../src/config/options';
import { resolveOptions } from '../../src/config/resolve';
import { LoginConfigurationError } from '../../src/shared/errors';
import { HS256_SECRET } from '../helpers/keys';

const base: LoginOptions = { secret: HS256_SECRET, tokenUrl: '/auth/token' };
const resolved = (options: Record<string, unknown>) => resolveOptions({ ...base, ...options } as LoginOptions);
const refused = (options: Record<string, unknown>, message: RegExp) =>
  expect(() => resolved(options), JSON.stringify(options)).to.throw(LoginConfigurationError, message);

describe('options: refreshGrace and maxSessions', () => {
  it('defaults to a 15 s refresh grace and 20 live logins per user', () => {
    expect(resolveOptions(base)).to.include({ refreshGrace: 15, maxSessions: 20 });
  });

  it('takes the grace in seconds or as a duration string, 0 for none, up to 300 s', () => {
    for (const [given, seconds] of [
      [0, 0],
      [1, 1],
      [30, 30],
      ['45s', 45],
      ['1m', 60],
      ['5m', 300],
      [300, 300],
    ] as const) {
      expect(resolved({ refreshGrace: given }).refreshGrace, String(given)).to.equal(seconds);
    }
  });

  it('refuses a negative, fractional, unit-less or too long grace, with the fix', () => {
    for (const refreshGrace of [-1, 1.5, 301, '6m', '1h', '30', 'soon', null, true, Number.NaN]) {
      refused({ refreshGrace }, /`refreshGrace` .* whole seconds from 0 \(none\) to 300, or a string like '15s'/);
    }
  });

  it('takes maxSessions as a whole number from 1 to 1000, and refuses anything else with the fix', () => {
    for (const maxSessions of [1, 5, 1000]) expect(resolved({ maxSessions }).maxSessions).to.equal(maxSessions);
    for (const maxSessions of [0, -1, 1001, 2.5, '20', null, Number.POSITIVE_INFINITY]) {
      refused({ maxSessions }, /`maxSessions` .* whole number from 1 to 1000/);
    }
  });
});
