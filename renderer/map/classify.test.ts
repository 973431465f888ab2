import { describe, expect, it } from 'vitest';
import { classOf, quantileBreaks, rampFor, roundToReadable } from './classify';

describe('choropleth classes', () => {
  it('rounds breaks to two significant digits', () => {
    expect(roundToReadable(1234)).toBe(1200);
    expect(roundToReadable(87.6)).toBe(88);
    expect(roundToReadable(0)).toBe(0);
  });

  it('gives at most four increasing breaks for five classes', () => {
    const values = Array.from({ length: 100 }, (_, index) => index * 100);
    const breaks = quantileBreaks(values);
    expect(breaks).toEqual([2000, 4000, 6000, 8000]);
    expect(classOf(0, breaks)).toBe(0);
    expect(classOf(2000, breaks)).toBe(0);
    expect(classOf(2001, breaks)).toBe(1);
    expect(classOf(9900, breaks)).toBe(4);
  });

  it('drops duplicate breaks when values repeat', () => {
    const breaks = quantileBreaks([5, 5, 5, 5, 5, 5, 5, 5, 10, 20]);
    expect(new Set(breaks).size).toBe(breaks.length);
    expect(breaks.every((value, index) => index === 0 || value > breaks[index - 1]!)).toBe(true);
  });

  it('spreads fewer classes over the whole ramp', () => {
    expect(rampFor(['a', 'b', 'c', 'd', 'e'], 3)).toEqual(['a', 'c', 'e']);
  });
});
