// The forecast job of the host contract (forecastStart / forecastCancel with forecastProgress and
// forecastFinished events), through the validating dispatcher on a real copy of the Helsinki sample:
// a city's table uploaded and imported as one undoable command, a bad table and a cancelled run that
// leave the project unchanged, and arguments the contract refuses.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../electron/host/dispatch';
import { createHost, type Host } from '../../electron/services/host';
import { buildSampleProject } from '../../electron/services/sample/build-sample';
import type { HostEvents } from '../../shared/contract/host-api';
import { makeTempDirectory } from '../support/temp-directory';

let temp: ReturnType<typeof makeTempDirectory>;
let host: Host;
let file: string;
const finished: HostEvents['forecastFinished'][] = [];
const progress: HostEvents['forecastProgress'][] = [];

/** A call through the dispatcher (argument validation included): the result, or the error payload thrown. */
async function call(method: string, args: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const envelope = await dispatchCall(host, method, args);
  if (!envelope.ok) throw envelope.error;
  return envelope.result;
}

beforeAll(async () => {
  temp = makeTempDirectory('verkosto-forecast-jobs-');
  const projects = path.join(temp.path, 'projects');
  mkdirSync(projects);
  const sample = path.join(temp.path, 'sample.gpkg');
  await buildSampleProject(sample);
  file = path.join(projects, 'plan.gpkg');
  copyFileSync(sample, file);
  host = createHost({
    kind: 'browser',
    version: 'test',
    dataDirectory: temp.path,
    projectsDirectory: projects,
    allowedRoots: [projects],
    emit: (event, payload) => {
      if (event === 'forecastFinished') finished.push(payload as HostEvents['forecastFinished']);
      if (event === 'forecastProgress') progress.push(payload as HostEvents['forecastProgress']);
    },
  });
  await call('openProject', { path: file });
}, 120_000);

afterAll(() => {
  host?.dispose();
  temp?.remove();
});

async function upload(name: string, text: string): Promise<string> {
  const bytes = Buffer.from(text, 'utf8');
  const { uploadId } = await call('importBeginUpload', { name, size: bytes.length });
  await call('importAppendUpload', { uploadId, offset: 0, data: bytes.toString('base64') });
  return uploadId;
}

async function finishedJob(jobId: string): Promise<HostEvents['forecastFinished']> {
  for (let wait = 0; wait < 600; wait += 1) {
    const event = finished.find((entry) => entry.jobId === jobId);
    if (event) return event;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`forecast job ${jobId} never finished`);
}

function forecastRows(): { year: number; n: number; age7: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT year, COUNT(*) AS n, SUM(age_7) AS age7 FROM demand_population WHERE source = 'forecast' GROUP BY year ORDER BY year").all() as { year: number; n: number; age7: number }[];
  } finally {
    db.close();
  }
}

describe('forecast jobs over the host contract', () => {
  it('imports an uploaded city table as one undoable command', async () => {
    // Long format for two small areas (codes as in the sample), 2025 and 2026; ages above 15 are ignored.
    const table = ['area,year,age,count', '101,2025,7,12', '101,2025,8,3', '101,2025,40,99', '102,2025,7,5', '101,2026,7,14'].join('\n');
    const uploadId = await upload('kaupungin-ennuste.csv', table);
    const { jobId } = await call('forecastStart', { method: 'import', uploadId });
    const event = await finishedJob(jobId);
    expect(event.error).toBeNull();
    expect(event.summary).toEqual({ method: 'import', fromYear: 2025, toYear: 2026, rows: 3 });
    expect(progress.some((entry) => entry.jobId === jobId)).toBe(true);
    expect(forecastRows()).toEqual([
      { year: 2025, n: 2, age7: 17 },
      { year: 2026, n: 1, age7: 14 },
    ]);
    await call('undo', {});
    expect(forecastRows()).toEqual([]);
  }, 60_000);

  it('a table with an unknown area is refused whole and the project stays as it was', async () => {
    const uploadId = await upload('bad.csv', ['area,year,age,count', '101,2025,7,12', '999,2025,7,1'].join('\n'));
    const { jobId } = await call('forecastStart', { method: 'import', uploadId });
    const event = await finishedJob(jobId);
    expect(event.summary).toBeNull();
    expect(event.error).toMatchObject({ code: 'forecastBadTable' });
    expect(event.error!.message).toContain('999');
    expect(forecastRows()).toEqual([]);
  }, 60_000);

  it('a cancelled cohort run writes nothing', async () => {
    const { jobId } = await call('forecastStart', { method: 'cohort', toYear: 2040 });
    await call('forecastCancel', { jobId });
    const event = await finishedJob(jobId);
    expect(event.error).toMatchObject({ code: 'forecastCancelled' });
    expect(forecastRows()).toEqual([]);
  }, 60_000);

  it('refuses an import without an upload and an unknown upload', async () => {
    await expect(call('forecastStart', { method: 'import' })).rejects.toMatchObject({ code: 'invalidArgument' });
    await expect(call('forecastStart', { method: 'import', uploadId: 'a'.repeat(32) })).rejects.toMatchObject({ code: 'unknownJob' });
    await expect(call('forecastStart', { method: 'cohort', toYear: 1800 })).rejects.toMatchObject({ code: 'invalidArgument' });
  });
});
