/**
 * Residential points through the import pipeline into the Helsinki sample, and what they do to the KPIs.
 *
 * The shared data has no building register, so the points are derived from real data in a documented way:
 * HSY's 250 m population grid 2015 (`population-grid-hsy-2015/vaestoruudukko_2015_helsinki.geojson`,
 * EPSG:3879, 2 065 cells, 606 363 residents) — each cell becomes one point at its centre with the cell's
 * residents (`ASUKKAITA`) as its weight. Written as GeoJSON (with its `crs`) and as CSV (x/y in EPSG:3879),
 * both reprojected into the sample's EPSG:3067 on import. The grid file itself (polygons) is also imported
 * straight into the point layer: each cell becomes its interior point, which for a square is its centre, so
 * it must give the very same KPIs as the derived points.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnalysisData } from '../../../electron/services/analysis/analysis-data';
import { exportLayer } from '../../../electron/services/export/export-layer';
import { importSource } from '../../../electron/services/import/import-service';
import { openFileSource } from '../../../electron/services/import/readers/files/open-file-source';
import { buildSampleProject } from '../../../electron/services/sample/build-sample';
import { ProjectFile } from '../../../electron/store/project-file';
import { KpiEngine } from '../../../shared/analysis/kpi';
import { findCrs } from '../../../shared/geo/crs';
import { decodeGeoPackageGeometry } from '../../../shared/geo/gpkg-geometry';
import type { FieldMapping } from '../../../shared/import/types';
import { makeTempDir } from '../../fixtures/store-helpers';
import { sourceConfig } from './import-helpers';

const GRID_FILE = '/work/shared/data/population-grid-hsy-2015/vaestoruudukko_2015_helsinki.geojson';
const GRID_RESIDENTS = 606_363;

interface GridCell {
  index: number;
  residents: number;
  centre: [number, number];
}

function readGrid(): { cells: GridCell[]; raw: string } {
  const raw = readFileSync(GRID_FILE, 'utf8');
  const collection = JSON.parse(raw) as { features: { properties: { INDEX: number; ASUKKAITA: number }; geometry: { coordinates: number[][][] } }[] };
  const cells = collection.features.map((feature) => {
    const ring = feature.geometry.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    return { index: feature.properties.INDEX, residents: feature.properties.ASUKKAITA, centre: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] as [number, number] };
  });
  return { cells, raw };
}

const MAPPING: FieldMapping = { name: 'hsy-grid-points', targetLayer: 'residential_points', fields: { weight: { source: 'ASUKKAITA' }, source: { constant: 'HSY 2015' } } };

/** Children eligible for grades 1–6 per catchment fid, in one year. */
function eligibleByCatchment(project: ProjectFile, year: number): Map<number, number> {
  const result = new KpiEngine(readAnalysisData(project)).compute(year, 'grades_1_6');
  return new Map(result.catchments.map((row) => [row.fid!, row.eligible ?? 0]));
}

function pointRows(file: string): { count: number; weight: number; sources: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(weight), 0) AS weight FROM residential_points').get() as { count: number; weight: number };
    const sources = (db.prepare("SELECT source_id FROM import_sources WHERE target_layer = 'residential_points' ORDER BY source_id").all() as { source_id: string }[]).map((r) => r.source_id);
    return { ...row, sources };
  } finally {
    db.close();
  }
}

describe('residential points imported into the sample split the units on catchment boundaries', () => {
  const temp = makeTempDir('verkosto-points-');
  const sample = temp.file('sample.gpkg');
  const pointsGeoJson = temp.file('asukaspisteet.geojson');
  const pointsCsv = temp.file('asukaspisteet.csv');
  const { cells, raw } = readGrid();
  let project: ProjectFile;
  let areaShare2019: Map<number, number>;
  let areaShare2015: Map<number, number>;

  beforeAll(async () => {
    await buildSampleProject(sample);
    writeFileSync(
      pointsGeoJson,
      JSON.stringify({
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3879' } },
        features: cells.map((cell) => ({ type: 'Feature', id: String(cell.index), geometry: { type: 'Point', coordinates: cell.centre }, properties: { INDEX: cell.index, ASUKKAITA: cell.residents } })),
      }),
    );
    // The CSV keeps only the cells with at least 100 residents (the others' ages are suppressed in the source).
    writeFileSync(pointsCsv, ['INDEX,ASUKKAITA,x,y', ...cells.filter((cell) => cell.residents >= 100).map((cell) => `${cell.index},${cell.residents},${cell.centre[0]},${cell.centre[1]}`)].join('\n') + '\n');
    writeFileSync(temp.file('grid.geojson'), raw);
    project = ProjectFile.open(sample);
    areaShare2019 = eligibleByCatchment(project, 2019);
    areaShare2015 = eligibleByCatchment(project, 2015);
  }, 180_000);
  afterAll(() => {
    project?.close();
    temp.cleanup();
  });

  it('imports the points reprojected into the file as one undoable command, and the KPIs follow', async () => {
    expect(cells).toHaveLength(2065);
    expect(cells.reduce((sum, cell) => sum + cell.residents, 0)).toBe(GRID_RESIDENTS);

    const result = await importSource(project, openFileSource(pointsGeoJson), {
      sourceLayer: 'default',
      targetLayer: 'residential_points',
      mapping: MAPPING,
      sourceConfig: sourceConfig('hsy-grid-points', 'geojson', pointsGeoJson, 'residential_points', { licence: 'CC BY 4.0', publisher: 'HSY' }),
    });
    expect(result).toMatchObject({ imported: 2065, skipped: 0, sourceEpsg: 3879, replaced: 0 });
    expect(result.seq).not.toBeNull();
    expect(result.issues.map((issue) => issue.code)).not.toContain('polygonsAsPoints');

    // In the file: every point, every resident, and a point where proj4 puts the cell centre in EPSG:3067.
    expect(pointRows(sample)).toEqual({ count: 2065, weight: GRID_RESIDENTS, sources: ['hsy-grid-points'] });
    const first = cells[0]!;
    const expected = proj4(findCrs(3879)!.proj4, findCrs(3067)!.proj4).forward(first.centre);
    const stored = project.db.prepare('SELECT s.source_feature_id, r.geom, r.weight, r.source FROM import_snapshots s JOIN residential_points r ON r.fid = s.local_fid WHERE s.source_feature_id = ?').get(String(first.index)) as { geom: Uint8Array; weight: number; source: string };
    const point = decodeGeoPackageGeometry(stored.geom)!;
    expect(point.srsId).toBe(3067);
    expect(point.geometry.type).toBe('Point');
    const [x, y] = (point.geometry as { coordinates: number[] }).coordinates;
    expect(Math.abs(x! - expected[0]!)).toBeLessThan(0.002);
    expect(Math.abs(y! - expected[1]!)).toBeLessThan(0.002);
    expect(stored).toMatchObject({ weight: first.residents, source: 'HSY 2015' });

    // The KPIs: straddling units are now split by where their residents live, not by area.
    const byPoints2019 = eligibleByCatchment(project, 2019);
    const byPoints2015 = eligibleByCatchment(project, 2015);
    const changed = (before: Map<number, number>, after: Map<number, number>) => [...before].filter(([fid, value]) => Math.abs((after.get(fid) ?? 0) - value) >= 1);
    // 2015 is computed with the 250 m grid, whose cells straddle the catchment boundaries: each cell now goes
    // whole to the catchment that holds its residents (its centre point), not by the share of its area.
    const changed2015 = changed(areaShare2015, byPoints2015);
    expect(changed2015.length).toBeGreaterThan(10);
    // 2019 is computed with the small areas, which the sample's catchments follow: no unit straddles, so the
    // points change next to nothing (the slivers where boundaries meet are no longer split by area).
    for (const [fid, value] of areaShare2019) expect(Math.abs(byPoints2019.get(fid)! - value)).toBeLessThan(0.5);
    // Every child still counts once: the city totals agree (to the children in cells partly outside every catchment).
    const total = (values: Map<number, number>) => [...values.values()].reduce((sum, value) => sum + value, 0);
    expect(Math.abs(total(byPoints2015) - total(areaShare2015)) / total(areaShare2015)).toBeLessThan(0.01);

    // Undo takes the whole import back: no points, no source, and the KPIs by area share again.
    project.undo();
    expect(pointRows(sample)).toEqual({ count: 0, weight: 0, sources: [] });
    expect(eligibleByCatchment(project, 2015)).toEqual(areaShare2015);
    project.redo();
    expect(pointRows(sample).count).toBe(2065);
    expect(eligibleByCatchment(project, 2015)).toEqual(byPoints2015);
  }, 120_000);

  it('replaces the points with a reloaded register (CSV) in one command; undo brings the old ones back', async () => {
    const kept = cells.filter((cell) => cell.residents >= 100);
    const result = await importSource(project, openFileSource(pointsCsv, { epsg: 3879 }), {
      sourceLayer: 'default',
      targetLayer: 'residential_points',
      mapping: { ...MAPPING, name: 'hsy-grid-points-csv' },
      sourceConfig: sourceConfig('hsy-grid-points-csv', 'csv', pointsCsv, 'residential_points', { epsg: 3879 }),
      replaceExisting: true,
    });
    expect(result).toMatchObject({ imported: kept.length, replaced: 2065 });
    expect(pointRows(sample)).toEqual({ count: kept.length, weight: kept.reduce((sum, cell) => sum + cell.residents, 0), sources: ['hsy-grid-points-csv'] });
    const snapshots = project.db.prepare("SELECT COUNT(*) AS n FROM import_snapshots WHERE target_layer = 'residential_points'").get() as { n: number };
    expect(snapshots.n).toBe(kept.length);

    project.undo();
    expect(pointRows(sample)).toEqual({ count: 2065, weight: GRID_RESIDENTS, sources: ['hsy-grid-points'] });
  }, 120_000);

  it('takes the grid cells themselves (polygons) as their interior points, with a note, and gives the same KPIs', async () => {
    const byCentres = eligibleByCatchment(project, 2015);
    const result = await importSource(project, openFileSource(temp.file('grid.geojson')), {
      sourceLayer: 'default',
      targetLayer: 'residential_points',
      mapping: { ...MAPPING, name: 'hsy-grid-cells' },
      // The same source id as the points it replaces: a register reloaded under its name.
      sourceConfig: sourceConfig('hsy-grid-points', 'geojson', temp.file('grid.geojson'), 'residential_points'),
      replaceExisting: true,
    });
    expect(result).toMatchObject({ imported: 2065, replaced: 2065 });
    expect(result.issues.find((issue) => issue.code === 'polygonsAsPoints')).toMatchObject({ count: 2065 });
    expect(pointRows(sample)).toEqual({ count: 2065, weight: GRID_RESIDENTS, sources: ['hsy-grid-points'] });
    const byCells = eligibleByCatchment(project, 2015);
    for (const [fid, value] of byCentres) expect(byCells.get(fid)).toBeCloseTo(value, 6);
    project.undo();
    expect(pointRows(sample).count).toBe(2065);
  }, 120_000);

  it('a project reopened from disk has the points, and exports them with their own source beside the provenance', () => {
    project.close();
    project = ProjectFile.open(sample);
    expect(project.readFeatures('residential_points').features).toHaveLength(2065);
    // The layer's own `source` and the import's provenance (`import_source`) both survive, read back by GDAL.
    const out = temp.file('asukaspisteet-out.gpkg');
    exportLayer(project, 'residential_points', out);
    const info = execFileSync('ogrinfo', ['-ro', '-al', '-so', out], { encoding: 'utf8' });
    expect(info).toContain('Feature Count: 2065');
    const first = execFileSync('ogr2ogr', ['-f', 'CSV', '/vsistdout/', out, '-sql', 'SELECT weight, source, import_source, source_feature_id FROM residential_points ORDER BY weight DESC LIMIT 1'], { encoding: 'utf8' });
    const max = Math.max(...cells.map((cell) => cell.residents));
    expect(first.trim().split(/\r?\n/)[1]).toMatch(new RegExp(`^${max},HSY 2015,Test source hsy-grid-points,"?\\d+"?$`));
    expect(path.basename(out)).toBe('asukaspisteet-out.gpkg');
  });
});
