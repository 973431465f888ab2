import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostEvents } from '../../shared/contract/host-api';
import type { ImportInspection, ImportPreview } from '../../shared/import/contract';
import { click, fakeHostClient, render, waitFor, type Rendered } from '../test/render';
import { ImportDialog } from './import-dialog';

const inspection: ImportInspection = {
  uploadId: 'a'.repeat(32),
  fileName: 'koulut.csv',
  kind: 'csv',
  layers: [{ name: 'default', title: 'koulut.csv', epsg: 4326, latitudeFirst: false, fields: [{ name: 'nimi', type: 'string' }, { name: 'paikat', type: 'integer' }], featureCount: null, extent: null }],
  sample: [{ nimi: 'Koulu', paikat: 300 }],
  targets: [
    { target: 'name_fi', type: 'text', required: true, values: null },
    { target: 'floor_area_m2', type: 'real', required: false, values: null },
    { target: 'service:grades_1_6:capacity', type: 'integer', required: false, values: null },
  ],
  suggestion: { name: 'koulut-facilities', targetLayer: 'facilities', fields: { name_fi: { source: 'nimi' } } },
  mappings: [],
};

function previewFor(bad: boolean): ImportPreview {
  return {
    featuresRead: 2,
    features: [{ sourceId: '1', geometry: { type: 'Point', coordinates: [386_000, 6_677_000] }, values: { name_fi: 'Koulu' } }],
    fieldChecks: { name_fi: { ok: 2, bad: 0, example: null }, ...(bad ? { floor_area_m2: { ok: 0, bad: 2, example: 'Koulu' } } : {}) },
    issues: [],
    error: bad ? { code: 'importBadValue', params: { source: 'koulut.csv', feature: '1', field: 'nimi', target: 'floor_area_m2', value: 'Koulu', problem: 'notANumber' }, message: '' } : null,
    sourceEpsg: 4326,
  };
}

describe('ImportDialog', () => {
  let rendered: Rendered | null = null;
  afterEach(() => {
    rendered?.unmount();
    rendered = null;
  });

  it('uploads, maps with type checks, previews, and runs the import job to its result', async () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const importPreview = vi.fn(async (args: { mapping: { fields: Record<string, unknown> } }) => previewFor('floor_area_m2' in args.mapping.fields));
    const importStart = vi.fn(async () => ({ jobId: 'b'.repeat(32) }));
    const client = fakeHostClient({
      on: ((event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      }) as never,
      importBeginUpload: vi.fn(async () => ({ uploadId: inspection.uploadId! })),
      importAppendUpload: vi.fn(async ({ data }: { data: string }) => ({ received: atob(data).length })),
      importInspect: vi.fn(async () => inspection),
      importPreview: importPreview as never,
      importStart: importStart as never,
    });
    rendered = await render(<ImportDialog onClose={() => undefined} />, client);
    const input = rendered.container.ownerDocument.querySelector<HTMLInputElement>('[data-testid="import-file"]')!;
    const file = new File(['nimi;paikat;lat;lon\nKoulu;300;60.2;24.9\n'], 'koulut.csv', { type: 'text/csv' });
    await act(async () => {
      Object.defineProperty(input, 'files', { value: [file] });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const doc = rendered.container.ownerDocument;
    await waitFor(() => doc.querySelector('[data-testid="import-map-name_fi"]') !== null);
    expect(doc.querySelector<HTMLSelectElement>('[data-testid="import-crs"]')!.value).toBe('4326');
    await waitFor(() => importPreview.mock.calls.length > 0 && doc.querySelector('[data-testid="import-row-name_fi"]')!.textContent!.includes('✓ 2'));

    // Mapping a text field to a number column shows the problem in its row and blocks the import.
    const floor = doc.querySelector<HTMLSelectElement>('[data-testid="import-map-floor_area_m2"]')!;
    await act(async () => {
      floor.value = 'nimi';
      floor.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitFor(() => doc.querySelector('[data-testid="import-row-floor_area_m2"]')!.textContent!.includes('⚠ 2'), 3000);
    expect(doc.querySelector('[data-testid="import-preview-error"]')!.textContent).toContain('Koulu');
    expect(doc.querySelector<HTMLButtonElement>('[data-testid="import-start"]')!.disabled).toBe(true);
    await act(async () => {
      floor.value = '';
      floor.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitFor(() => !doc.querySelector<HTMLButtonElement>('[data-testid="import-start"]')!.disabled, 3000);
    await click(doc.querySelector('[data-testid="import-start"]'));
    expect(importStart).toHaveBeenCalledWith(expect.objectContaining({ layer: 'default', source: expect.objectContaining({ id: 'koulut', title: 'koulut.csv' }) }));
    await waitFor(() => doc.querySelector('[data-testid="import-progress"]') !== null);
    await act(async () => {
      listeners.get('importFinished')!({ jobId: 'b'.repeat(32), result: { sourceId: 'koulut', featuresRead: 2, imported: 2, skipped: 0, issues: [], retrievedAt: '', sourceEpsg: 4326, seq: 5 }, error: null, edit: null } satisfies HostEvents['importFinished']);
    });
    await waitFor(() => doc.querySelector('[data-testid="import-result"]') !== null);
    expect(doc.querySelector('[data-testid="import-result"]')!.textContent).toContain('Tuotiin 2 kohdetta');
  });
});
