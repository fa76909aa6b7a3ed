import { expect } from 'chai';
import { durationSeconds } from '../../src/shared/duration';

describe('token/duration: durationSeconds', () => {
  it('reads whole seconds and unit strings', () => {
    expect(durationSeconds(900)).to.equal(900);
    expect(durationSeconds('90s')).to.equal(90);
    expect(durationSeconds('15m')).to.equal(900);
    expect(durationSeconds('12h')).to.equal(43_200);
    expect(durationSeconds('30d')).to.equal(2_592_000);
    expect(durationSeconds('2w')).to.equal(1_209_600);
    expect(durationSeconds(' 5 m ')).to.equal(300);
  });

  it('refuses zero, negatives, fractions, unit-less strings and other types', () => {
    for (const bad of [
      0,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '900',
      '15',
      '0m',
      '1y',
      '-1h',
      '',
      null,
      {},
    ]) {
      expect(durationSeconds(bad), String(bad)).to.equal(undefined);
    }
  });
});
