/**
 * Gives each catchment a palette index so that catchments that touch get different colours. Touching is
 * approximated by overlapping (slightly enlarged) bounding boxes, which is cheap and errs on the side of
 * "neighbours"; a greedy colouring in order of decreasing size then rarely runs out of colours.
 */
import type { Extent } from 'ol/extent.js';

export interface Colourable {
  extent: Extent;
  /** Items in the same group are coloured together; different groups (catchment sets) never compete. */
  group: string;
}

function extentsTouch(a: Extent, b: Extent, margin: number): boolean {
  return a[0]! - margin <= b[2]! && b[0]! - margin <= a[2]! && a[1]! - margin <= b[3]! && b[1]! - margin <= a[3]!;
}

/** Returns a palette index per item (same order as the input). */
export function assignColours(items: readonly Colourable[], paletteSize: number): number[] {
  const colours = new Array<number>(items.length).fill(-1);
  const areaOf = (extent: Extent) => (extent[2]! - extent[0]!) * (extent[3]! - extent[1]!);
  const order = items.map((_, index) => index).sort((a, b) => areaOf(items[b]!.extent) - areaOf(items[a]!.extent));
  for (const index of order) {
    const item = items[index]!;
    const margin = Math.max(item.extent[2]! - item.extent[0]!, item.extent[3]! - item.extent[1]!) * 0.01;
    const usedByNeighbours = new Array<number>(paletteSize).fill(0);
    items.forEach((other, otherIndex) => {
      const colour = colours[otherIndex]!;
      if (colour >= 0 && other.group === item.group && extentsTouch(item.extent, other.extent, margin)) usedByNeighbours[colour]! += 1;
    });
    // The least-used colour among neighbours: a free one when there is one.
    let best = 0;
    for (let colour = 1; colour < paletteSize; colour += 1) {
      if (usedByNeighbours[colour]! < usedByNeighbours[best]!) best = colour;
    }
    colours[index] = best;
  }
  return colours;
}
