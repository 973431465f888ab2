import { describe, expect, test } from 'vitest';
import type { Patch } from '../../shared/domain/commands';
import { invertPatch } from '../../shared/domain/commands';

const patch: Patch = [
  { table: 'facilities', key: 3, before: { name_fi: 'A', condition: null }, after: { name_fi: 'B', condition: 4 } },
  { table: 'verkosto_settings', key: 'plan.year', before: null, after: { value: 2030 } },
  { table: 'facility_services', key: 9, before: { facility_fid: 3, service: 'pre_primary', capacity: 20, enrolment: 18 }, after: null },
];

describe('invertPatch', () => {
  test('reverses the order and swaps before and after (an insert becomes a delete and back)', () => {
    expect(invertPatch(patch)).toEqual([
      { table: 'facility_services', key: 9, before: null, after: { facility_fid: 3, service: 'pre_primary', capacity: 20, enrolment: 18 } },
      { table: 'verkosto_settings', key: 'plan.year', before: { value: 2030 }, after: null },
      { table: 'facilities', key: 3, before: { name_fi: 'B', condition: 4 }, after: { name_fi: 'A', condition: null } },
    ]);
  });

  test('is its own inverse and leaves its input alone', () => {
    const copy = structuredClone(patch);
    expect(invertPatch(invertPatch(patch))).toEqual(patch);
    expect(patch).toEqual(copy);
    expect(invertPatch([])).toEqual([]);
  });
});
