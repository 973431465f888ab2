/**
 * The attribute table's cell editor in jsdom: what is typed is checked per column type (numbers with a
 * Finnish decimal comma, years, bounded integers, required names, enums) with a Finnish message, and only
 * a value that parses is committed.
 */
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cellCommand, parseCell } from '../../shared/editing/attribute-fields';
import type { CellValue } from '../../shared/editing/attribute-fields';
import { render, type Rendered } from '../test/render';
import { CellEditor, type CellEditorProps } from './cell-editor';

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

async function editor(props: Partial<CellEditorProps> & Pick<CellEditorProps, 'layer' | 'column'>) {
  const commits: CellValue[] = [];
  let cancelled = 0;
  rendered = await render(<CellEditor value={null} row={{}} label="Solu" onCommit={(value) => commits.push(value)} onCancel={() => cancelled++} {...props} />);
  const container = rendered.container;
  return {
    commits,
    cancelled: () => cancelled,
    error: () => container.querySelector('[data-testid=cell-error]')?.textContent ?? null,
    async type(text: string) {
      const input = container.querySelector('input')!;
      await act(async () => {
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
    async press(key: string) {
      const field = container.querySelector('input, select')!;
      await act(async () => {
        field.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      });
    },
    async choose(value: string) {
      const select = container.querySelector('select')!;
      await act(async () => {
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
    },
  };
}

describe('cell editor validation', () => {
  it('a floor area takes "1 200,5" and refuses a negative number with a message', async () => {
    const cell = await editor({ layer: 'facilities', column: 'floor_area_m2', value: 900 });
    await cell.type('-5');
    expect(cell.error()).toBe('Anna luku, joka on vähintään 0 (esim. 1 200,5)');
    await cell.press('Enter');
    expect(cell.commits).toEqual([]);
    await cell.type('1 200,5');
    expect(cell.error()).toBeNull();
    await cell.press('Enter');
    expect(cell.commits).toEqual([1200.5]);
  });

  it('a closing year must be a year and not before the opening year', async () => {
    const cell = await editor({ layer: 'facilities', column: 'closes_year', value: 2035, row: { opens_year: 2030 } });
    await cell.type('20x5');
    expect(cell.error()).toBe('Anna vuosi väliltä 1800–2200');
    await cell.type('2025');
    expect(cell.error()).toBe('Sulkemisvuosi on ennen avautumisvuotta 2030');
    await cell.press('Enter');
    expect(cell.commits).toEqual([]);
    await cell.type('');
    await cell.press('Enter');
    expect(cell.commits).toEqual([null]); // cleared: no closing year
  });

  it('condition is 1–5; a required name cannot be emptied; Esc cancels', async () => {
    const condition = await editor({ layer: 'facilities', column: 'condition', value: 3 });
    await condition.type('7');
    expect(condition.error()).toBe('Anna kokonaisluku väliltä 1–5');
    await condition.press('Escape');
    expect(condition.cancelled()).toBe(1);
    expect(condition.commits).toEqual([]);
    rendered!.unmount();

    const name = await editor({ layer: 'catchments', column: 'name', value: 'Alue' });
    await name.type('   ');
    expect(name.error()).toBe('Pakollinen tieto');
    await name.press('Enter');
    expect(name.commits).toEqual([]);
  });

  it('enums and links are lists: status, teaching language, a catchment facility, lock', async () => {
    const status = await editor({ layer: 'facilities', column: 'status', value: 'active' });
    const options = [...rendered!.container.querySelectorAll('option')].map((o) => o.textContent);
    expect(options).toHaveLength(4);
    await status.choose('closed');
    expect(status.commits).toEqual(['closed']);
    rendered!.unmount();

    const facility = await editor({ layer: 'catchments', column: 'facility_fid', value: 3, facilities: [[3, 'Koulu A'], [8, 'Koulu B']] });
    await facility.choose('8');
    expect(facility.commits).toEqual([8]);
    rendered!.unmount();

    const locked = await editor({ layer: 'catchments', column: 'locked', value: 0 });
    await locked.choose('1');
    expect(locked.commits).toEqual([1]);
  });
});

describe('parseCell and cellCommand', () => {
  it('parses per type and names the command of each layer', () => {
    expect(parseCell('facilities', 'operating_cost_eur', '2 500 000')).toEqual({ ok: true, value: 2_500_000 });
    expect(parseCell('facilities', 'year_built', '1962')).toEqual({ ok: true, value: 1962 });
    expect(parseCell('facilities', 'language', 'de')).toEqual({ ok: false, error: 'editing.cell.choose' });
    expect(parseCell('facilities', 'opens_year', '2031', { closes_year: 2030 })).toEqual({ ok: false, error: 'editing.cell.opensAfterCloses', params: { year: 2030 } });
    expect(parseCell('demand_units', 'code', '091')).toEqual({ ok: false, error: 'editing.cell.readOnly' });
    expect(parseCell('facilities', 'name_sv', 'x'.repeat(201))).toEqual({ ok: false, error: 'editing.cell.tooLong', params: { max: 200 } });
    expect(cellCommand('facilities', 4, 'floor_area_m2', 10)).toEqual({ type: 'facility.update', fid: 4, changes: { floor_area_m2: 10 } });
    expect(cellCommand('catchments', 5, 'locked', 1)).toEqual({ type: 'catchment.update', fid: 5, changes: { locked: 1 } });
    expect(cellCommand('demand_units', 6, 'name', 'Kallio')).toEqual({ type: 'demandUnit.update', fid: 6, changes: { name: 'Kallio' } });
  });
});
