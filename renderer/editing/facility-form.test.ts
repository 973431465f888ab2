import { describe, expect, it } from 'vitest';
import { validateFacility } from './facility-form';
import { measureOf } from './modes/draw-modes';

const noServices = {};

describe('facility form validation', () => {
  it('accepts a named facility and refuses what the file would refuse', () => {
    expect(validateFacility({ name_fi: 'Koulu', opens_year: '2026', condition: '3', floor_area_m2: '1 200' }, { grades_1_6: { on: true, capacity: '300' } })).toEqual({});
    expect(validateFacility({ name_fi: '  ' }, noServices)).toEqual({ name_fi: 'editing.form.required' });
    expect(validateFacility({ name_fi: 'K', condition: '7', year_built: '19x5', operating_cost_eur: '-5' }, noServices)).toEqual({
      condition: 'editing.form.range',
      year_built: 'editing.form.range',
      operating_cost_eur: 'editing.form.positive',
    });
    expect(validateFacility({ name_fi: 'K', opens_year: '2030', closes_year: '2025' }, noServices)).toEqual({ closes_year: 'editing.form.closesBeforeOpens' });
    expect(validateFacility({ name_fi: 'K' }, { pre_primary: { on: true, capacity: '' } })).toEqual({ service_pre_primary: 'editing.form.capacity' });
  });
});

describe('measure', () => {
  it('sums the segments and gives the closed area from three points', () => {
    expect(measureOf([[0, 0], [300, 0], [300, 400]])).toEqual({ distance: 700, area: 60_000 });
    expect(measureOf([[0, 0], [3, 4]])).toEqual({ distance: 5, area: null });
  });
});
