import { describe, expect, it } from 'vitest';
import { formatMapCoordinate, groupDigits } from './format';

describe('map coordinates', () => {
  it('groups digits with spaces', () => {
    expect(groupDigits(6672456.4)).toBe('6 672 456');
    expect(groupDigits(385123)).toBe('385 123');
  });

  it('formats metric and geographic coordinates', () => {
    expect(formatMapCoordinate([385123.2, 6672456.7], 3067)).toBe('E 385 123  N 6 672 457  (EPSG:3067)');
    expect(formatMapCoordinate([24.938401, 60.169902], 4326)).toBe('E 24.93840°  N 60.16990°  (EPSG:4326)');
  });
});
