import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostInfo, ProjectSummary, RecentProject } from '../../shared/contract/host-api';
import { VerkostoError } from '../../shared/errors';
import { useProjectStore } from '../state/project-store';
import { useUiStore } from '../state/ui-store';
import { click, fakeHostClient, render, waitFor, type Rendered } from '../test/render';
import { ErrorBanner } from './error-banner';
import { projectPathFor } from './project-paths';
import { WelcomeScreen } from './welcome-screen';

const browserHost: HostInfo = { kind: 'browser', version: '0.1.0', nativeFileDialogs: false, projectsDirectory: '/home/planner/Verkosto' };

const recent: RecentProject[] = [
  { path: '/home/planner/Verkosto/Kouluverkko 2030.gpkg', name: 'Kouluverkko 2030', openedAt: '2026-03-02T09:30:00Z', exists: true },
  { path: '/media/usb/Vanha.gpkg', name: 'Vanha', openedAt: '2025-11-20T14:00:00Z', exists: false },
];

function summaryFor(path: string, name: string): ProjectSummary {
  return { path, name, epsg: 3067, crsName: 'ETRS89 / TM35FIN(E,N)', schemaVersion: 1, layers: [], demandUnitKinds: {}, populationYears: [], settings: {}, canUndo: false, canRedo: false };
}

describe('WelcomeScreen', () => {
  let rendered: Rendered | null = null;

  beforeEach(() => {
    useProjectStore.setState({ hostInfo: browserHost, summary: null });
    useUiStore.setState({ error: null });
  });

  afterEach(() => {
    rendered?.unmount();
    rendered = null;
    vi.restoreAllMocks();
  });

  it('lists recent projects and greys out the ones whose file is gone', async () => {
    const client = fakeHostClient({ listRecentProjects: vi.fn(async () => recent) });
    rendered = await render(<WelcomeScreen />, client);
    await waitFor(() => rendered!.container.querySelectorAll('[data-testid="recent-project"]').length === 2);
    const [present, missing] = [...rendered.container.querySelectorAll<HTMLButtonElement>('[data-testid="recent-project"]')];
    expect(present!.textContent).toContain('Kouluverkko 2030');
    expect(present!.disabled).toBe(false);
    expect(missing!.textContent).toContain('Vanha');
    expect(missing!.disabled).toBe(true);
    expect(missing!.className).toContain('recent-item--missing');
  });

  it('opens a recent project and mirrors the summary in the store', async () => {
    const openProject = vi.fn(async ({ path }: { path: string }) => summaryFor(path, 'Kouluverkko 2030'));
    const client = fakeHostClient({ listRecentProjects: async () => recent, openProject });
    rendered = await render(<WelcomeScreen />, client);
    await waitFor(() => rendered!.container.querySelector('[data-testid="recent-project"]') !== null);
    await click(rendered.container.querySelector('[data-testid="recent-project"]'));
    await waitFor(() => useProjectStore.getState().summary !== null);
    expect(openProject).toHaveBeenCalledWith({ path: recent[0]!.path });
    expect(useProjectStore.getState().summary?.name).toBe('Kouluverkko 2030');
  });

  it('creates a new project in the projects directory when the host has no native dialogs', async () => {
    const createProject = vi.fn(async ({ path, name }: { path: string; epsg: number; name?: string }) => summaryFor(path, name ?? ''));
    const client = fakeHostClient({ listRecentProjects: async () => [], createProject });
    rendered = await render(<WelcomeScreen />, client);
    const input = rendered.container.querySelector<HTMLInputElement>('[data-testid="new-project-name"]')!;
    const { act } = await import('react');
    await act(async () => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setValue.call(input, 'Esikoulut');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(rendered.container.querySelector('[data-testid="create-project"]'));
    await waitFor(() => createProject.mock.calls.length === 1);
    expect(createProject).toHaveBeenCalledWith({ path: '/home/planner/Verkosto/Esikoulut.gpkg', epsg: 3067, name: 'Esikoulut' });
  });

  it('shows a host error in the banner in Finnish', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const client = fakeHostClient({
      listRecentProjects: async () => [],
      openSampleProject: async () => {
        throw new VerkostoError('sampleDataMissing', { file: 'schools.csv' });
      },
    });
    rendered = await render(
      <>
        <ErrorBanner />
        <WelcomeScreen />
      </>,
      client,
    );
    await click(rendered.container.querySelector('[data-testid="open-sample"]'));
    await waitFor(() => rendered!.container.querySelector('[data-testid="error-banner"]') !== null);
    expect(rendered.container.querySelector('[data-testid="error-banner"]')!.textContent).toContain('Esimerkkiprojektin lähdeaineisto puuttuu (schools.csv)');
  });
});

describe('projectPathFor', () => {
  it('joins with the separator the directory uses', () => {
    expect(projectPathFor('/home/a/', 'X')).toBe('/home/a/X.gpkg');
    expect(projectPathFor('C:\\Users\\a', 'X')).toBe('C:\\Users\\a\\X.gpkg');
  });
});
