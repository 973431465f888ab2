/**
 * Paint by units: which catchment each demand unit belongs to in a set (an explicit assignment, else the
 * catchment that holds the unit's interior point), children by age group, and the live delta a paint stroke
 * makes — children moved, and the utilisation of the receiving and donor facilities (children in the
 * service's ages ÷ capacity). Pure; the renderer computes it per stroke, the host for CSV export.
 */
import type { CatchmentSetKey } from '../domain/editing-commands';
import type { ServiceType } from '../domain/project';
import type { MultiPolygonGeometry } from '../geo/geometry';
import { envelopeOf } from '../geo/geometry';
import { toJsts, type JstsGeometry } from '../geo/polygon-edit';

export interface UnitAssignment {
  unit_fid: number;
  catchment_fid: number;
  service: ServiceType;
  language: 'fi' | 'sv';
}

export interface PaintContext {
  /** The population year the deltas use (the latest observed or estimated year), or null without data. */
  year: number | null;
  /** Children by single-year age 0–15 per unit in `year`. */
  units: { fid: number; ages: number[] }[];
  services: { facility_fid: number; service: ServiceType; capacity: number | null; enrolment: number | null }[];
  assignments: UnitAssignment[];
}

/** Single-year ages a service takes (the age in the calendar year's autumn). */
export const SERVICE_AGES: Record<ServiceType, [number, number]> = {
  daycare_0_2: [0, 2],
  daycare_3_5: [3, 5],
  pre_primary: [6, 6],
  grades_1_6: [7, 12],
  grades_7_9: [13, 15],
  special_needs: [7, 15],
};

/** Age groups the delta panel lists. */
export const AGE_GROUPS: { id: string; from: number; to: number }[] = [
  { id: '0_2', from: 0, to: 2 },
  { id: '3_5', from: 3, to: 5 },
  { id: '6', from: 6, to: 6 },
  { id: '7_12', from: 7, to: 12 },
  { id: '13_15', from: 13, to: 15 },
];

interface Located {
  fid: number;
  box: { minX: number; minY: number; maxX: number; maxY: number };
  jsts: JstsGeometry;
}

/**
 * Unit → catchment for one set: explicit assignments first, the rest by the unit's interior point (JTS
 * InteriorPointArea: always inside the unit, so a unit on a border goes to exactly one side).
 */
export function unitMembership(
  units: { fid: number; geometry: MultiPolygonGeometry | null }[],
  catchments: { fid: number; geometry: MultiPolygonGeometry | null }[],
  assignments: UnitAssignment[],
  set: CatchmentSetKey,
): Map<number, number> {
  const result = new Map<number, number>();
  const catchmentFids = new Set(catchments.map((c) => c.fid));
  for (const a of assignments) if (a.service === set.service && a.language === set.language && catchmentFids.has(a.catchment_fid)) result.set(a.unit_fid, a.catchment_fid);
  const located: Located[] = [];
  for (const c of catchments) {
    if (!c.geometry) continue;
    const box = envelopeOf(c.geometry);
    if (box) located.push({ fid: c.fid, box, jsts: toJsts(c.geometry) });
  }
  for (const unit of units) {
    if (result.has(unit.fid) || !unit.geometry) continue;
    let point;
    try {
      point = toJsts(unit.geometry).getInteriorPoint();
    } catch {
      continue;
    }
    const x = point.getX();
    const y = point.getY();
    for (const c of located) {
      if (x < c.box.minX || x > c.box.maxX || y < c.box.minY || y > c.box.maxY) continue;
      if (c.jsts.intersects(point)) {
        result.set(unit.fid, c.fid);
        break;
      }
    }
  }
  return result;
}

export function sumAges(ages: number[], from: number, to: number): number {
  let sum = 0;
  for (let age = from; age <= to; age++) sum += ages[age] ?? 0;
  return sum;
}

export interface FacilityLoad {
  catchmentFid: number;
  facilityFid: number | null;
  capacity: number | null;
  childrenBefore: number;
  childrenAfter: number;
  /** children ÷ capacity, null when the facility has no capacity for the service. */
  utilisationBefore: number | null;
  utilisationAfter: number | null;
}

export interface PaintDelta {
  /** Children moved into the receiving catchment, by AGE_GROUPS id. */
  byAgeGroup: Record<string, number>;
  receiving: FacilityLoad;
  donors: FacilityLoad[];
}

/**
 * The live delta of moving `unitFids` into `receivingFid`: children by age group, and each affected
 * catchment's facility utilisation before and after.
 */
export function paintDelta(
  context: PaintContext,
  membership: Map<number, number>,
  catchments: Map<number, { facility_fid: number | null }>,
  set: CatchmentSetKey,
  receivingFid: number,
  unitFids: number[],
): PaintDelta {
  const ages = new Map(context.units.map((u) => [u.fid, u.ages]));
  const [from, to] = SERVICE_AGES[set.service];
  const childrenOf = (catchmentFid: number): number => {
    let sum = 0;
    for (const [unit, catchment] of membership) if (catchment === catchmentFid) sum += sumAges(ages.get(unit) ?? [], from, to);
    return sum;
  };
  const byAgeGroup: Record<string, number> = Object.fromEntries(AGE_GROUPS.map((g) => [g.id, 0]));
  const moved = new Map<number, number>();
  let movedIn = 0;
  for (const unit of new Set(unitFids)) {
    const current = membership.get(unit);
    if (current === receivingFid) continue;
    const unitAges = ages.get(unit) ?? [];
    for (const group of AGE_GROUPS) byAgeGroup[group.id]! += sumAges(unitAges, group.from, group.to);
    const children = sumAges(unitAges, from, to);
    movedIn += children;
    if (current != null) moved.set(current, (moved.get(current) ?? 0) + children);
  }
  const load = (catchmentFid: number, change: number): FacilityLoad => {
    const facilityFid = catchments.get(catchmentFid)?.facility_fid ?? null;
    const capacity = facilityFid == null ? null : context.services.find((s) => s.facility_fid === facilityFid && s.service === set.service)?.capacity ?? null;
    const before = childrenOf(catchmentFid);
    const after = before + change;
    const ratio = (children: number) => (capacity && capacity > 0 ? children / capacity : null);
    return { catchmentFid, facilityFid, capacity, childrenBefore: before, childrenAfter: after, utilisationBefore: ratio(before), utilisationAfter: ratio(after) };
  };
  return {
    byAgeGroup,
    receiving: load(receivingFid, movedIn),
    donors: [...moved.entries()].map(([fid, children]) => load(fid, -children)),
  };
}
