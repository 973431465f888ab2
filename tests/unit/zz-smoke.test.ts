import { test, expect } from 'vitest';
import { ProjectFile } from '../../electron/store/project-file';
import { rmSync } from 'node:fs';
test('smoke', () => {
  const f = '/tmp/smoke.gpkg'; rmSync(f, { force: true });
  const p = ProjectFile.create(f, { epsg: 3879, name: 'Smoke' });
  const [fid] = p.insertFeatures('facilities', [{ geometry: { type: 'Point', coordinates: [25496000, 6672000] }, properties: { name_fi: 'Koulu', facility_kind: 'school', language: 'fi', status: 'active', illustrative: 0 } }]);
  p.insertFeatures('catchments', [{ geometry: { type: 'MultiPolygon', coordinates: [[[[25495000, 6671000], [25497000, 6671000], [25497000, 6673000], [25495000, 6671000]]]] }, properties: { name: 'A', service: 'grades_1_6', language: 'fi', facility_fid: fid!, origin: 'drawn', locked: 0 } }]);
  const r = p.runCommand({ type: 'facility.update', fid: fid!, changes: { name_fi: 'Uusi' } });
  expect(p.readFeature('facilities', fid!)!.properties.name_fi).toBe('Uusi');
  p.undo();
  expect(p.readFeature('facilities', fid!)!.properties.name_fi).toBe('Koulu');
  p.redo();
  p.runCommand({ type: 'setting.set', key: 'basemap.url', value: 'x' });
  console.log(r, p.layerSummaries(), p.settings());
  p.close();
});
