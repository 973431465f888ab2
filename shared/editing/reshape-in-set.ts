/**
 * Reshape by a line inside a catchment set, topologically: the target gets the area between the line and its
 * boundary (or loses the cut-off side); area it gains is taken from its neighbours, area it loses goes to
 * the neighbour with the longest shared edge with that piece — so the set stays a tiling, as one command.
 */
import type { LineStringGeometry, MultiPolygonGeometry } from '../geo/geometry';
import { fromJsts, overlay, PolygonEditError, reshapePolygon, toJsts, unionAll, type JstsGeometry } from '../geo/polygon-edit';

export interface SetMember {
  fid: number;
  geometry: MultiPolygonGeometry;
  locked: number;
}

function partsOf(geometry: JstsGeometry): JstsGeometry[] {
  const parts: JstsGeometry[] = [];
  for (let i = 0; i < geometry.getNumGeometries(); i++) if (geometry.getGeometryN(i).getArea() > 0) parts.push(geometry.getGeometryN(i));
  return parts;
}

export function reshapeInSet(target: SetMember, line: LineStringGeometry, others: SetMember[], scale = 1000): { fid: number; geometry: MultiPolygonGeometry }[] {
  if (target.locked) throw new PolygonEditError('invalid', 'locked');
  const reshaped = reshapePolygon(target.geometry, line, scale);
  const before = toJsts(target.geometry, scale);
  const after = toJsts(reshaped, scale);
  const added = overlay(after, before, 'difference', scale);
  const removed = overlay(before, after, 'difference', scale);
  const changed = new Map<number, JstsGeometry>();
  const current = (member: SetMember) => changed.get(member.fid) ?? toJsts(member.geometry, scale);
  if (added.getArea() > 0) {
    for (const other of others) {
      const geometry = current(other);
      if (!geometry.intersects(added) || overlay(geometry, added, 'intersection', scale).getArea() <= 0) continue;
      if (other.locked) throw new PolygonEditError('invalid', 'locked');
      changed.set(other.fid, overlay(geometry, added, 'difference', scale));
    }
  }
  for (const piece of partsOf(removed)) {
    let best: { member: SetMember; length: number } | null = null;
    for (const other of others) {
      if (other.locked) continue;
      const geometry = current(other);
      if (!geometry.intersects(piece.buffer(2 / scale))) continue;
      const length = overlay(geometry.getBoundary(), piece.getBoundary().buffer(2 / scale), 'intersection', scale).getLength();
      if (length > 0 && (!best || length > best.length)) best = { member: other, length };
    }
    if (best) changed.set(best.member.fid, unionAll([current(best.member), piece], scale));
  }
  return [{ fid: target.fid, geometry: reshaped }, ...[...changed.entries()].map(([fid, geometry]) => ({ fid, geometry: fromJsts(geometry, scale) }))];
}
