import * as assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/demo-tenant/random';

describe('demo-tenant/random', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const take = (seed: number | string) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => r.int(1000));
    };
    assert.deepEqual(take(42), take(42));
    assert.deepEqual(take('demo'), take('demo'));
    assert.notDeepEqual(take(42), take(43));
    assert.notDeepEqual(take('demo'), take('demp'));
  });

  it('stays in range and covers it', () => {
    const r = new SeededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const v = r.next();
      assert.ok(v >= 0 && v < 1);
      seen.add(r.int(10));
    }
    assert.equal(seen.size, 10);
    assert.throws(() => r.int(0), RangeError);
    assert.throws(() => r.pick([]), RangeError);
  });
});
