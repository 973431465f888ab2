/**
 * Import benchmark (part of `npm run bench`): 1,000,000 points imported from a GeoPackage and from a CSV
 * into a new project, each in its own child process — features per second and peak RSS. The inputs are
 * written first: the CSV with lon/lat (so every point is reprojected), the GeoPackage in EPSG:3067.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

export interface ImportStepResult {
  seconds: number;
  peakRssMb: number;
  detail?: Record<string, number>;
}

type Child = (step: string, args: string[]) => ImportStepResult;

function pointAt(index: number, count: number): [number, number] {
  // A deterministic cloud over southern Finland (lon 22–30, lat 60–63).
  const a = (index * 0.6180339887498949) % 1;
  const b = (index / count + ((index * 7919) % 1000) / 1e6) % 1;
  return [22 + 8 * a, 60 + 3 * b];
}

/** Child step: writes the inputs, or imports one of them. */
export async function runImportChild(step: string, args: string[]): Promise<Record<string, number>> {
  if (step === 'import-make-csv') {
    const [file, countText] = args;
    const count = Number(countText);
    const out = createWriteStream(file!);
    out.write('code,name,lon,lat\n');
    for (let i = 0; i < count; i++) {
      const [lon, lat] = pointAt(i, count);
      if (!out.write(`P${i},Kohde ${i},${lon.toFixed(6)},${lat.toFixed(6)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return { rows: count };
  }
  if (step === 'import-make-gpkg') {
    const [file, countText] = args;
    const count = Number(countText);
    const { ProjectFile } = await import('../../electron/store/project-file');
    const { createTransform } = await import('../../electron/services/import/geometry-checks');
    const transform = createTransform(4326, 3067);
    const project = ProjectFile.create(file!, { epsg: 3067 });
    for (let start = 0; start < count; start += 100_000) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + 100_000); i++) batch.push({ geometry: { type: 'Point' as const, coordinates: transform(pointAt(i, count)) }, properties: { code: `P${i}`, name_fi: `Kohde ${i}` } });
      project.insertFeatures('facilities', batch);
    }
    project.close();
    return { rows: count };
  }
  if (step === 'import-run') {
    const [target, source, kind] = args;
    const { ProjectFile } = await import('../../electron/store/project-file');
    const { importSource } = await import('../../electron/services/import/import-service');
    const { openFileSource } = await import('../../electron/services/import/readers/files/open-file-source');
    const project = ProjectFile.create(target!, { epsg: 3067 });
    const started = performance.now();
    const reader = openFileSource(source!);
    const layers = await reader.listLayers();
    const layer = kind === 'gpkg' ? 'facilities' : layers[0]!.name;
    const result = await importSource(project, reader, {
      sourceLayer: layer,
      targetLayer: 'facilities',
      mapping: { name: 'bench', targetLayer: 'facilities', fields: { code: { source: 'code' }, name_fi: { source: kind === 'gpkg' ? 'name_fi' : 'name' } } },
      sourceConfig: { id: 'bench', kind: kind as 'csv', title: 'bench', url: null, file: source!, layer, targetLayer: 'facilities', mappingName: 'bench', publisher: null, licence: null, attribution: null, epsg: null, options: {} },
    });
    const seconds = (performance.now() - started) / 1000;
    project.close();
    return { imported: result.imported, importSeconds: seconds };
  }
  throw new Error(`unknown import bench step ${step}`);
}

/** Parent: makes the inputs, runs both imports, prints a table. */
export function measureImports(directory: string, child: Child, log: (line: string) => void, count: number): void {
  const csv = path.join(directory, 'points.csv');
  const gpkg = path.join(directory, 'points.gpkg');
  log(`import: writing ${count.toLocaleString('en')} points as CSV and GeoPackage …`);
  child('import-make-csv', [csv, String(count)]);
  child('import-make-gpkg', [gpkg, String(count)]);
  const rows: string[] = [];
  for (const [kind, file] of [['gpkg', gpkg], ['csv', csv]] as const) {
    log(`import: ${kind} …`);
    const result = child('import-run', [path.join(directory, `imported-${kind}.gpkg`), file, kind]);
    const seconds = result.detail!.importSeconds!;
    rows.push(`| ${kind === 'gpkg' ? 'GeoPackage (EPSG:3067)' : 'CSV lon/lat (reprojected)'} | ${result.detail!.imported!.toLocaleString('en')} | ${seconds.toFixed(1)} | ${Math.round(result.detail!.imported! / seconds).toLocaleString('en')} | ${result.peakRssMb.toFixed(0)} |`);
  }
  process.stdout.write(['', `Import of ${count.toLocaleString('en')} points into a new project (one child process each)`, '', '| source | features | seconds | features / s | peak RSS (MB) |', '|---|---:|---:|---:|---:|', ...rows, ''].join('\n'));
}
