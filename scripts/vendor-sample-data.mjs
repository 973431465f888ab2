#!/usr/bin/env node
// Copies the open data the sample project needs from ../shared/data (relative to the repository) into
// resources/sample-data, and derives the two small files the sample reads (see resources/sample-data/SOURCES.md).
// Values are never changed: files are copied, re-written without indentation, or filtered by a field.
// Re-running it gives byte-identical output.
//
//   node scripts/vendor-sample-data.mjs [--source DIR] [--target DIR]
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: {
    source: { type: 'string', default: path.resolve(root, '..', 'shared', 'data') },
    target: { type: 'string', default: path.join(root, 'resources', 'sample-data') },
  },
});
const source = path.resolve(values.source);
const target = path.resolve(values.target);

function input(relative) {
  const file = path.join(source, relative);
  if (!existsSync(file)) {
    console.error(`vendor-sample-data: ${file} is missing (expected the shared open-data folder at ${source})`);
    process.exit(1);
  }
  return file;
}

const readJson = (relative) => JSON.parse(readFileSync(input(relative), 'utf8'));
const writeJson = (name, value) => writeFileSync(path.join(target, name), `${JSON.stringify(value)}\n`);

mkdirSync(target, { recursive: true });

// 1. Helsinki osa-alueet (148 sub-districts), WFS GetFeature GeoJSON: the same object, minified.
writeJson('osaalueet.json', readJson('helsinki-areas/osaalueet.json'));

// 2. Population 31.12.2019 by osa-alue, single-year age and sex: copied byte for byte.
copyFileSync(
  input('population-helsinki-2019/helsinki_vaesto_2019_osaalue_ika_sukupuoli.csv'),
  path.join(target, 'helsinki_vaesto_2019_osaalue_ika_sukupuoli.csv'),
);

// 3. HSY 250 m population grid 2015, the Helsinki subset (already derived in shared/data): copied.
copyFileSync(
  input('population-grid-hsy-2015/vaestoruudukko_2015_helsinki.geojson'),
  path.join(target, 'vaestoruudukko_2015_helsinki.geojson'),
);

// 4. Statistics Finland schools 2022: the rows of the five-city extract whose kunta is 091 (Helsinki).
const schools = readJson('schools-statfi-2022/koulut_2022_5_cities.geojson');
const helsinkiSchools = schools.features.filter((feature) => feature.properties.kunta === '091');
writeJson('koulut_helsinki_2022.geojson', {
  type: 'FeatureCollection',
  name: 'koulut_2022_helsinki',
  crs: schools.crs,
  features: helsinkiSchools,
});

// 5. The NLS municipal boundary of Helsinki (EPSG:3067): copied.
copyFileSync(input('helsinki-boundary/helsinki_boundary_tm35.geojson'), path.join(target, 'helsinki_boundary_tm35.geojson'));

const files = [
  'osaalueet.json',
  'helsinki_vaesto_2019_osaalue_ika_sukupuoli.csv',
  'vaestoruudukko_2015_helsinki.geojson',
  'koulut_helsinki_2022.geojson',
  'helsinki_boundary_tm35.geojson',
];
let total = 0;
for (const name of files) {
  const size = statSync(path.join(target, name)).size;
  total += size;
  console.log(`${name.padEnd(50)} ${(size / 1024).toFixed(0).padStart(6)} KiB`);
}
console.log(`${'total'.padEnd(50)} ${(total / 1024).toFixed(0).padStart(6)} KiB  (${helsinkiSchools.length} Helsinki schools)`);
