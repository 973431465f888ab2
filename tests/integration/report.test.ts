// The scenario report as a planner hands it to the council: built from the Helsinki sample with a scenario
// that closes a school, rendered to PDF and XLSX; the PDF is turned into PNG pages with pdftoppm and read
// back as text with pdftotext; the XLSX is read back with SheetJS.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScenarioReport } from '../../electron/services/report/scenario-report';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import { ProjectFile } from '../../electron/store/project-file';
import { makeTempDirectory } from '../support/temp-directory';

const temp = makeTempDirectory('verkosto-report-');
let project: ProjectFile;
let closedName: string;
let scenarioFid: number;

beforeAll(async () => {
  const file = path.join(temp.path, 'helsinki.gpkg');
  await buildSampleProject(file);
  project = ProjectFile.open(file);
  // Close the school whose Finnish grades 1–6 catchment is the largest by area: a change that shows.
  const row = project.db
    .prepare("SELECT f.fid, f.name_fi FROM catchments c JOIN facilities f ON f.fid = c.facility_fid WHERE c.service = 'grades_1_6' AND c.language = 'fi' ORDER BY c.fid LIMIT 1")
    .get() as { fid: number; name_fi: string };
  closedName = row.name_fi;
  scenarioFid = project.scenarios.create('Sulje koulu', 0);
  project.switchScenario(scenarioFid);
  project.runCommand({ type: 'facility.update', fid: row.fid, changes: { status: 'closed', closes_year: 2019 } });
  // A setting of the demand model belongs to the scenario and is reported in words.
  project.runCommand({ type: 'setting.set', key: 'analysis.grades_1_6.freeTransportKm', value: 3 });
}, 120_000);

afterAll(() => {
  project?.close();
  temp.remove();
});

describe('scenario report', () => {
  it('renders a PDF whose pages pdftoppm turns into images and whose text names the scenario, the change and the sources', async () => {
    const target = path.join(temp.path, 'raportti.pdf');
    const written = await writeScenarioReport(project, { scenarioFid, service: 'grades_1_6', years: null, format: 'pdf', language: 'fi', target });
    expect(written.bytes).toBeGreaterThan(10_000);
    const pagesDirectory = path.join(temp.path, 'pages');
    execFileSync('mkdir', ['-p', pagesDirectory]);
    execFileSync('pdftoppm', ['-png', '-r', '60', target, path.join(pagesDirectory, 'page')]);
    const pages = readdirSync(pagesDirectory).filter((name) => name.endsWith('.png'));
    // Title, a map per year, a table per year, the chart, changes and sources.
    expect(pages.length).toBeGreaterThanOrEqual(3 + 2 * written.years.length);
    const text = execFileSync('pdftotext', ['-layout', target, '-']).toString();
    expect(text).toContain('Skenaario: Sulje koulu');
    expect(text).toContain('Helsinki – esimerkkiprojekti');
    expect(text).toContain('Vuosiluokat 1–6');
    expect(text).toContain(`Käyttöaste ${written.years[0]}`);
    expect(text).toContain('Muutokset perustilaan verrattuna');
    expect(text).toContain(closedName);
    expect(text).toMatch(/Maksuttoman kuljetuksen raja \(Vuosiluokat 1–6\): (oletus|5 km) » 3 km/);
    expect(text).toContain('CC BY 4.0');
    expect(text).toContain('Tilastokeskus');
  });

  it('writes the same report as XLSX with network figures, facility sheets, changes and sources', async () => {
    const target = path.join(temp.path, 'raportti.xlsx');
    const written = await writeScenarioReport(project, { scenarioFid, service: 'grades_1_6', years: null, format: 'xlsx', language: 'en', target });
    const book = XLSX.readFile(target);
    expect(book.SheetNames).toEqual(['Network', ...written.years.map((year) => `Facilities ${year}`), 'Changes', 'Sources']);
    const network = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.Network!, { header: 1 });
    expect(network[0]).toEqual(['Scenario: Sulje koulu', 'Helsinki – esimerkkiprojekti', 'Grades 1–6']);
    expect(network.slice(4).map((row) => row[1])).toEqual(written.years.flatMap(() => ['Sulje koulu', 'Baseline']));
    const changes = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets.Changes!, { header: 1 });
    expect(changes[1]).toEqual(['Changed', 'Facility', closedName, 'status, closes_year']);
    expect(changes[2]).toEqual(['Changed', 'Setting', expect.stringMatching(/^Free transport limit \(Grades 1–6\): (default|5 km) → 3 km$/), '']);
  });
});
