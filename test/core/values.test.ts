// What the README says about listing the values of a type, and about int-keyed maps.
import { describe, expect, it } from 'vitest';
import { MapType, t, valuesOf } from '../../checker/index.ts';

describe('values of finite types', () => {
  it('valuesOf lists every value in index order', () => {
    expect(valuesOf(t.array(t.bool(), 3))).toHaveLength(8);
    expect(valuesOf(t.int(2, 4))).toEqual([2, 3, 4]);
  });

  it('enums and int ranges have .values', () => {
    expect(t.enum('a', 'b').values).toEqual(['a', 'b']);
    expect(t.int(0, 3).values).toEqual([0, 1, 2, 3]);
  });

  it('t.map gives an exported MapType, and an int-keyed map has string keys at run time', () => {
    const M = t.map(t.int(0, 2), t.bool());
    expect(M).toBeInstanceOf(MapType);
    const m = valuesOf(M)[0];
    expect(Object.keys(m)).toEqual(['0', '1', '2']);
    expect(m[1]).toBe(false);
  });
});
