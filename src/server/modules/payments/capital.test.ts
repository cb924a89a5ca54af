import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capitalAmount, parseCapitalAmount } from './capital';

describe('人民币大写', () => {
  it('writes the amounts of a receipt the way a cashier does', () => {
    expect(capitalAmount(0)).toBe('零元整');
    expect(capitalAmount(100)).toBe('壹元整');
    expect(capitalAmount(5)).toBe('伍分');
    expect(capitalAmount(50)).toBe('伍角整');
    expect(capitalAmount(105)).toBe('壹元零伍分');
    expect(capitalAmount(150)).toBe('壹元伍角整');
    expect(capitalAmount(36000)).toBe('叁佰陆拾元整');
    expect(capitalAmount(12345)).toBe('壹佰贰拾叁元肆角伍分');
    expect(capitalAmount(100100)).toBe('壹仟零壹元整');
    expect(capitalAmount(1000000)).toBe('壹万元整');
    expect(capitalAmount(1000001)).toBe('壹万元零壹分');
    expect(capitalAmount(1050000)).toBe('壹万零伍佰元整');
    expect(capitalAmount(10010000)).toBe('壹拾万零壹佰元整');
    expect(capitalAmount(100000000000)).toBe('壹拾亿元整');
    expect(capitalAmount(10000010000)).toBe('壹亿零壹佰元整');
    expect(capitalAmount(-36050)).toBe('负叁佰陆拾元伍角整');
    expect(() => capitalAmount(1.5)).toThrow();
  });

  it('is one-to-one: every amount reads back to the same fen, with no doubled or trailing 零', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => {
        const text = capitalAmount(fen);
        if (fen !== 0) expect(text).not.toMatch(/零零|零[元万亿]|零整/);
        expect(parseCapitalAmount(text)).toBe(fen);
      }),
      { numRuns: 2000 },
    );
  });
});
