/**
 * Choropleth classes: quantile breaks rounded to readable numbers, and the class of a value. Breaks are
 * the upper bounds of all classes but the last (which is open-ended), strictly increasing.
 */

export const CLASS_COUNT = 5;

/** Rounds to two significant digits: 1234 → 1200, 87.6 → 88, 0.456 → 0.46. */
export function roundToReadable(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/** Quantile class breaks of the finite values: at most `classes - 1` readable, strictly increasing bounds. */
export function quantileBreaks(values: readonly number[], classes = CLASS_COUNT): number[] {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let index = 1; index < classes; index += 1) {
    const position = Math.min(sorted.length - 1, Math.floor((index / classes) * sorted.length));
    const bound = roundToReadable(sorted[position]!);
    if (breaks.length === 0 || bound > breaks[breaks.length - 1]!) breaks.push(bound);
  }
  // A break at or above the maximum would leave the last class empty.
  while (breaks.length > 0 && breaks[breaks.length - 1]! >= sorted[sorted.length - 1]!) breaks.pop();
  return breaks;
}

/** The class index (0 = lowest) of a value given the breaks. */
export function classOf(value: number, breaks: readonly number[]): number {
  for (let index = 0; index < breaks.length; index += 1) {
    if (value <= breaks[index]!) return index;
  }
  return breaks.length;
}

/** Picks `count` colours spread evenly over a ramp, so three classes still span light to dark. */
export function rampFor(ramp: readonly string[], count: number): string[] {
  if (count <= 1) return [ramp[Math.floor(ramp.length / 2)]!];
  return Array.from({ length: count }, (_, index) => ramp[Math.round((index * (ramp.length - 1)) / (count - 1))]!);
}
