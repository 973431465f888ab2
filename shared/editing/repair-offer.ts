/**
 * Repair with the user's consent (issue 3, item 6). When the host refuses an edit because a geometry the
 * user gave is invalid (a self-crossing ring, a sliver part, an otherwise invalid ring), this builds the same
 * command with the geometry made valid by JSTS (repairPolygon: zero buffer of both windings, slivers dropped),
 * so the renderer can offer "Repair and save". The repaired command is sent as one command and the host
 * checks it again: an invalid geometry is never stored. Pure (JSTS), no DOM.
 */
import type { Command } from '../domain/commands';
import type { MultiPolygonGeometry } from '../geo/geometry';
import { polygonArea, polygonProblem, repairPolygon, type PolygonProblem } from '../geo/polygon-edit';

/** Refusals a repair can answer; others (locked, overlap, nothing left…) are not about the shape itself. */
export const REPAIRABLE_PROBLEMS: readonly string[] = ['selfIntersection', 'sliver', 'invalid'];

export interface RepairedShape {
  /** The catchment's name (existing or new). */
  name: string;
  problem: PolygonProblem;
  before: MultiPolygonGeometry;
  after: MultiPolygonGeometry;
  areaBefore: number;
  areaAfter: number;
}

export interface RepairOffer {
  /** The command as the user made it (refused). */
  original: Command;
  /** The same command with every invalid geometry repaired. */
  repaired: Command;
  shapes: RepairedShape[];
}

function safeArea(geometry: MultiPolygonGeometry, scale: number): number {
  try {
    return polygonArea(geometry, scale);
  } catch {
    return 0;
  }
}

/** A valid replacement for an invalid geometry, or null when it is valid already or nothing valid is left. */
function repairOne(geometry: MultiPolygonGeometry, name: string, scale: number): RepairedShape | null | 'valid' {
  const problem = polygonProblem(geometry, { scale });
  if (!problem) return 'valid';
  if (!REPAIRABLE_PROBLEMS.includes(problem)) return null;
  let after: MultiPolygonGeometry | null;
  try {
    after = repairPolygon(geometry, { scale });
  } catch {
    after = null;
  }
  if (!after || polygonProblem(after, { scale })) return null;
  return { name, problem, before: geometry, after, areaBefore: safeArea(geometry, scale), areaAfter: safeArea(after, scale) };
}

/**
 * The repaired command for a refused one, or null when the command carries no user geometry that a repair
 * makes valid. `names` gives the catchment names by fid for the dialog (reshape commands carry only fids).
 */
export function repairOffer(command: Command, options: { scale?: number; names?: Map<number, string> } = {}): RepairOffer | null {
  const scale = options.scale ?? 1000;
  const nameOf = (fid: number) => options.names?.get(fid) ?? `#${fid}`;
  switch (command.type) {
    case 'catchment.create': {
      const shape = repairOne(command.geometry, command.attributes.name, scale);
      if (shape === null || shape === 'valid') return null;
      return { original: command, repaired: { ...command, geometry: shape.after }, shapes: [shape] };
    }
    case 'catchment.reshape': {
      const shape = repairOne(command.geometry, nameOf(command.fid), scale);
      if (shape === null || shape === 'valid') return null;
      return { original: command, repaired: { ...command, geometry: shape.after }, shapes: [shape] };
    }
    case 'catchment.reshapeMany': {
      const shapes: RepairedShape[] = [];
      const changes: { fid: number; geometry: MultiPolygonGeometry }[] = [];
      for (const change of command.changes) {
        const shape = repairOne(change.geometry, nameOf(change.fid), scale);
        if (shape === null) return null; // one shape that cannot be repaired: the whole edit stays refused
        if (shape === 'valid') changes.push(change);
        else {
          shapes.push(shape);
          changes.push({ fid: change.fid, geometry: shape.after });
        }
      }
      if (shapes.length === 0) return null;
      return { original: command, repaired: { ...command, changes }, shapes };
    }
    default:
      return null;
  }
}
