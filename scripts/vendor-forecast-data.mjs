#!/usr/bin/env node
// Converts the inputs of the Helsinki small-area forecast pilot (../shared/data/forecast-helsinki-model-params,
// from Porvoon-kehitysyksikko/Vaestoennuste, MIT; data City of Helsinki and Statistics Finland) into the plain
// CSV files resources/forecast-helsinki/ ships (see its SOURCES.md). Values are never changed: the sheets are
// read with SheetJS and written as CSV, keeping only the columns and rows the projection uses.
// Re-running it gives byte-identical output.
//
//   node scripts/vendor-forecast-data.mjs [--source DIR] [--target DIR]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import XLSX from 'xlsx';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: {
    source: { type: 'string', default: path.resolve(root, '..', 'shared', 'data', 'forecast-helsinki-model-params') },
    target: { type: 'string', default: path.join(root, 'resources', 'forecast-helsinki') },
  },
});

function sheetRows(name) {
  const file = path.join(path.resolve(values.source), name);
  if (!existsSync(file)) {
    console.error(`vendor-forecast-data: ${file} is missing`);
    process.exit(1);
  }
  const book = XLSX.readFile(file);
  return XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]], { defval: null, raw: true });
}

function write(name, header, rows) {
  const text = [header.join(','), ...rows.map((row) => header.map((column) => row[column] ?? '').join(','))].join('\n');
  mkdirSync(values.target, { recursive: true });
  writeFileSync(path.join(values.target, name), `${text}\n`);
  console.log(`${name}: ${rows.length} rows`);
}

const ages = (prefix, from, to) => Array.from({ length: to - from + 1 }, (_, index) => `${prefix}${from + index}`);

// Fertility ‰ by mother's age 15–49 and mortality ‰ by sex and age 0–99, 2020–2040, municipality type 2 = Helsinki.
write('fertility.csv', ['vuosi', ...ages('h', 15, 49)], sheetRows('PKS_hed_2021.xlsx').filter((row) => Number(row.hedtyyp) === 2));
write('mortality.csv', ['vuosi', ...ages('mkv', 0, 99), ...ages('nkv', 0, 99)], sheetRows('PKS_kv_2021.xlsx').filter((row) => Number(row.kvtyyp) === 2));
// Per-area parameters: yearly in- and out-migration totals, migration-type group, fertility and mortality deviation %.
write('area-params.csv', ['alue', 'tmyht', 'lmyht', 'muuttotyyp', 'hedero', 'kvero'], sheetRows('VK_param_pilotti.xlsx').filter((row) => row.alue !== null));
// Age profiles of in-migration (tmos) and out-migration (lmos) per migration-type group.
write('migration-profiles.csv', ['muuttotyyp', ...ages('tmos', 0, 99), ...ages('lmos', 0, 99)], sheetRows('VK_muutto_pilotti.xlsx').filter((row) => row.muuttotyyp !== null));
// Housing completions (floor area, m²) by area and dwelling type for the 16 years from 2020.
write('housing-completions.csv', ['alue', 'Tyyppi', ...ages('Vv', 1, 16)], sheetRows('Astuot_alue_pilotti.xlsx').filter((row) => row.alue !== null));
// Per dwelling type: floor area per resident at completion (alkuvalj) and the share left unoccupied (tyhos, %).
write('new-housing-types.csv', ['Tyyppi', 'alkuvalj', 'tyhos'], sheetRows('UT_param_pilotti.xlsx').filter((row) => row.Tyyppi !== null));
// Age distribution of the residents moving into new dwellings, per dwelling type (capital region 2017–19).
const ageRows = XLSX.utils.sheet_to_json(XLSX.readFile(path.join(path.resolve(values.source), 'UT_ikajak_pilotti.xlsx')).Sheets.Taul1 ?? Object.values(XLSX.readFile(path.join(path.resolve(values.source), 'UT_ikajak_pilotti.xlsx')).Sheets)[0], { header: 1, defval: null, raw: true });
const headerIndex = ageRows.findIndex((row) => row.includes('Tyyppi'));
const header = ageRows[headerIndex];
const typed = ageRows.slice(headerIndex + 1).filter((row) => row[header.indexOf('Tyyppi')] !== null).map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]])));
write('new-resident-ages.csv', ['Tyyppi', ...ages('os', 0, 99)], typed);
