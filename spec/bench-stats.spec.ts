import { expect } from 'chai';
import { median, medianInterval } from '../bench/stats';

/** 1..n in a scrambled order, so a test cannot pass on input that happens to be sorted. */
const scrambled = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7) % n) + 1);

describe('bench statistics: the confidence interval of a median that judges the bench goals', () => {
  it('takes [x(2), x(9)] of ten values, the narrowest interval with 95% coverage (1 − 22/1024)', () => {
    const interval = medianInterval(scrambled(10));
    expect(interval).to.include({ low: 2, high: 9 });
    expect(interval.coverage).to.be.closeTo(1 - 22 / 1024, 1e-12);
  });

  it('takes [x(6), x(15)] of twenty values (coverage 1 − 2·P(Bin(20, ½) ≤ 5))', () => {
    const interval = medianInterval(scrambled(20));
    expect(interval).to.include({ low: 6, high: 15 });
    expect(interval.coverage).to.be.closeTo(1 - (2 * (1 + 20 + 190 + 1140 + 4845 + 15504)) / 2 ** 20, 1e-12);
  });

  it('falls back to [min, max] with the coverage it has when there are too few values for 95%', () => {
    const interval = medianInterval([5, 1, 4, 2, 3]);
    expect(interval).to.include({ low: 1, high: 5 });
    expect(interval.coverage).to.equal(1 - 2 / 32);
  });

  it('computes the median of an odd and an even number of values, in any order', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
  });
});
