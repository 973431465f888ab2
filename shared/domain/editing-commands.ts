/**
 * The editing workspace's commands (issue 3): facilities, catchments with topology, unit assignments. Each is
 * planned on the host into ONE patch, so a topological edit that changes several catchments is one step in
 * the history. Geometry is GeoJSON in the project CRS.
 */
import type { LineStringGeometry, MultiPolygonGeometry, PointGeometry, Position } from '../geo/geometry';
import type { CatchmentAttributes, FacilityAttributes, ServiceType, TeachingLanguage } from './project';

/** A catchment set: the catchments of one service and teaching language tile the municipality. */
export interface CatchmentSetKey {
  service: ServiceType;
  language: TeachingLanguage;
}

export interface FacilityServiceValue {
  service: ServiceType;
  capacity: number | null;
  enrolment: number | null;
  /** A planned capacity change: from `changeYear` on the capacity is `changedCapacity` (both or neither). */
  changeYear?: number | null;
  changedCapacity?: number | null;
}

export type EditingCommand =
  /** Add a facility at a point; `services` are its capacities per service. */
  | { type: 'facility.add'; geometry: PointGeometry; attributes: Partial<FacilityAttributes> & { name_fi: string }; services?: FacilityServiceValue[] }
  /** Delete a facility with its services; catchments that pointed at it keep their shape and lose the link. */
  | { type: 'facility.delete'; fid: number }
  /** Replace a facility's services and capacities. */
  | { type: 'facility.setServices'; fid: number; services: FacilityServiceValue[] }
  /** The facility form saved: attributes and (when given) the services with capacities, as ONE undo step. */
  | { type: 'facility.edit'; fid: number; changes: Partial<FacilityAttributes>; services?: FacilityServiceValue[] }
  /** Replace one catchment's geometry (refused when invalid: self-crossing, sliver, empty). */
  | { type: 'catchment.reshape'; fid: number; geometry: MultiPolygonGeometry }
  /** Several catchments' geometries at once, as one step (topological reshape, problem fixes). */
  | { type: 'catchment.reshapeMany'; changes: { fid: number; geometry: MultiPolygonGeometry }[] }
  /** Move a vertex shared by any catchments of a set: every catchment with a vertex (or an edge) there follows. */
  | { type: 'catchment.moveVertex'; set: CatchmentSetKey; from: Position; to: Position }
  /** Add a vertex on an edge at `at` in every catchment of the set whose boundary passes there. */
  | { type: 'catchment.addVertex'; set: CatchmentSetKey; at: Position }
  /** Remove the vertex at `at` from every catchment of the set that has it. */
  | { type: 'catchment.removeVertex'; set: CatchmentSetKey; at: Position }
  /** Draw a new catchment; with avoidOverlap it is clipped by the set's other catchments. */
  | { type: 'catchment.create'; geometry: MultiPolygonGeometry; attributes: Pick<CatchmentAttributes, 'name' | 'service' | 'language'> & Partial<Pick<CatchmentAttributes, 'facility_fid'>>; avoidOverlap: boolean }
  /** Split a catchment along a line; the largest piece keeps the fid. */
  | { type: 'catchment.split'; fid: number; line: LineStringGeometry }
  /** Merge catchments of one set into the first. */
  | { type: 'catchment.merge'; fids: number[] }
  | { type: 'catchment.delete'; fid: number }
  /** Name, facility and lock. */
  | { type: 'catchment.update'; fid: number; changes: Partial<Pick<CatchmentAttributes, 'name' | 'facility_fid' | 'locked'>> }
  /** A demand unit's name (its code, kind and counts come from the data source). */
  | { type: 'demandUnit.update'; fid: number; changes: { name?: string | null } }
  /** Paint demand units into a catchment: the units move from their current catchment in the same set. */
  | { type: 'units.assign'; catchmentFid: number; unitFids: number[] }
  /** Several catchments' units at once (a CSV import), as one step. */
  | { type: 'units.assignMany'; assignments: { catchmentFid: number; unitFids: number[] }[] };

export type EditingCommandType = EditingCommand['type'];

export const EDITING_COMMAND_TYPES: readonly EditingCommandType[] = [
  'facility.add',
  'facility.delete',
  'facility.setServices',
  'facility.edit',
  'catchment.reshape',
  'catchment.reshapeMany',
  'catchment.moveVertex',
  'catchment.addVertex',
  'catchment.removeVertex',
  'catchment.create',
  'catchment.split',
  'catchment.merge',
  'catchment.delete',
  'catchment.update',
  'demandUnit.update',
  'units.assign',
  'units.assignMany',
];

export function isEditingCommand(command: { type: string }): command is EditingCommand {
  return (EDITING_COMMAND_TYPES as readonly string[]).includes(command.type);
}

export function catchmentSetId(set: CatchmentSetKey): string {
  return `${set.service}:${set.language}`;
}
