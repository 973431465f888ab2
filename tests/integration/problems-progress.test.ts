/**
 * The problems check with progress and cancel, on the real Helsinki sample's Finnish grades 1–6 set: the
 * stepwise check reports a rising share done up to 1 and finds exactly what the one-go check finds; a
 * cancelled check stops at once, returns nothing and changes nothing (the input and the file are as before).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import { ProjectFile } from '../../electron/store/project-file';
import type { Feature } from '../../shared/domain/project';
import { ProblemsCheckCancelled, detectProblems, detectProblemsStepwise, type ProblemInput, type ProblemsProgress } from '../../shared/editing/problems';
import type { MultiPolygonGeometry, PointGeometry } from '../../shared/geo/geometry';
import { makeTempDir, sha256 } from '../fixtures/store-helpers';

const tmp = makeTempDir('verkosto-problems-');
const file = tmp.file('sample.gpkg');
let input: ProblemInput;

beforeAll(async () => {
  await buildSampleProject(file);
  const project = ProjectFile.open(file);
  const catchments = (project.readFeatures('catchments').features as Feature<'catchments'>[]).filter((c) => c.properties.service === 'grades_1_6' && c.properties.language === 'fi');
  const municipality = project.readFeatures('municipality').features.map((m) => m.geometry as MultiPolygonGeometry);
  const services = project.db.prepare('SELECT facility_fid, service FROM facility_services').all() as { facility_fid: number; service: string }[];
  input = {
    catchments: catchments.map((c) => ({ fid: c.id, name: c.properties.name, facility_fid: c.properties.facility_fid, locked: c.properties.locked, geometry: c.geometry as MultiPolygonGeometry })),
    municipality: { type: 'MultiPolygon', coordinates: municipality.flatMap((g) => g.coordinates) },
    facilities: (project.readFeatures('facilities').features as Feature<'facilities'>[]).map((f) => ({
      fid: f.id,
      name: f.properties.name_fi,
      language: f.properties.language,
      geometry: f.geometry as PointGeometry,
      services: services.filter((s) => s.facility_fid === f.id).map((s) => s.service),
    })),
    service: 'grades_1_6',
    language: 'fi',
  };
  project.close();
}, 120_000);
afterAll(() => tmp.cleanup());

const yieldToHost = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('problems check progress and cancel', () => {
  test('reports a rising share done up to 1 and finds what the one-go check finds', async () => {
    const reports: ProblemsProgress[] = [];
    let yields = 0;
    const found = await detectProblemsStepwise(input, {
      onProgress: (progress) => reports.push(progress),
      yieldToHost: () => {
        yields++;
        return yieldToHost();
      },
      sliceMs: 0, // give way after every step, so every step is reported
    });
    expect(reports.length).toBeGreaterThan(4 * input.catchments.length * 0.9);
    expect(yields).toBe(reports.length - 1); // the final report needs no turn
    const shares = reports.map((r) => r.done / r.total);
    for (let i = 1; i < shares.length; i++) expect(shares[i]!).toBeGreaterThanOrEqual(shares[i - 1]!);
    expect(shares[0]!).toBeLessThan(0.05);
    expect(shares.at(-1)).toBe(1);
    expect(shares.some((share) => share > 0.3 && share < 0.7)).toBe(true);
    expect(found).toEqual(detectProblems(input));
    expect(found.length).toBeGreaterThan(0); // the sample has gaps along the coast
  });

  test('cancel stops the check at once: it rejects, reports no more and leaves input and file unchanged', async () => {
    const inputBefore = JSON.stringify(input);
    const fileBefore = sha256(file);
    const signal = { aborted: false };
    const reports: ProblemsProgress[] = [];
    let stepsAfterCancel = 0;
    const check = detectProblemsStepwise(input, {
      signal,
      sliceMs: 0,
      onProgress: (progress) => {
        reports.push(progress);
        if (signal.aborted) stepsAfterCancel++;
        if (reports.length === 10) signal.aborted = true; // the user presses Cancel
      },
      yieldToHost,
    });
    await expect(check).rejects.toBeInstanceOf(ProblemsCheckCancelled);
    expect(reports).toHaveLength(10);
    expect(stepsAfterCancel).toBe(0);
    expect(reports.at(-1)!.done / reports.at(-1)!.total).toBeLessThan(0.1);
    expect(JSON.stringify(input)).toBe(inputBefore);
    expect(sha256(file)).toBe(fileBefore);
  });
});
