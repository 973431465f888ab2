/**
 * Privacy suppression: small counts of children are personal data in practice, so presentation mode and
 * exports show a count below the threshold as "<N" (Statistics Finland suppresses small cells the same way).
 */

/** A count as shown to an audience: "<5" below the threshold, the rounded count otherwise. */
export function suppressCount(count: number, threshold: number): string | number {
  if (threshold > 0 && count > 0 && count < threshold) return `<${threshold}`;
  return Math.round(count);
}

/** True when a count would be suppressed. Zero is not suppressed: "no children" discloses nobody. */
export function isSuppressed(count: number, threshold: number): boolean {
  return threshold > 0 && count > 0 && count < threshold;
}
