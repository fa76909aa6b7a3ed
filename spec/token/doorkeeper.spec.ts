import { expect } from 'chai';
import { Doorkeeper } from '../../src/token/doorkeeper';

describe('token/doorkeeper: admission on the second sighting', () => {
  it('answers false the first time a key is seen and true the second', () => {
    const door = new Doorkeeper(10);
    expect(door.seen('abcdefghijklmnopqrstuvwxyz')).to.equal(false);
    expect(door.seen('abcdefghijklmnopqrstuvwxyz')).to.equal(true);
    expect(door.seen('zyxwvutsrqponmlkjihgfedcba')).to.equal(false);
  });

  it('keeps a fixed table however many keys pass: most one-shot keys are never admitted', () => {
    const door = new Doorkeeper(1000);
    let admitted = 0;
    for (let i = 0; i < 100_000; i++) if (door.seen(`k${i}-${(i * 2654435761) >>> 0}`)) admitted += 1;
    expect(admitted).to.be.below(100);
  });
});
