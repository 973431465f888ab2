/**
 * The application shell: loads host info and the open project (if any), follows the host's events, and
 * shows the welcome screen or the workspace. After a dropped connection comes back it re-reads the
 * project, since the host may have changed while the renderer was cut off.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { useUiStore } from '../state/ui-store';
import { ConnectionNotice, ErrorBanner } from './error-banner';
import { useHost } from './host-context';
import { Spinner } from './icons';
import { ParticipantView } from '../live/participant-view';
import { useLiveStore } from '../live/live-store';
import { useScenarioStore } from '../scenarios/scenario-store';
import { WelcomeScreen } from './welcome-screen';
import { Workspace } from './workspace';

export function AppShell() {
  const { t } = useTranslation();
  const host = useHost();
  const hostInfo = useProjectStore((state) => state.hostInfo);
  const summary = useProjectStore((state) => state.summary);

  useEffect(() => {
    const project = useProjectStore.getState();
    const ui = useUiStore.getState();
    let cancelled = false;

    const synchronise = async () => {
      try {
        const [info, current] = await Promise.all([host.getHostInfo({}), host.getProjectSummary({})]);
        if (cancelled) return;
        project.setHostInfo(info);
        useProjectStore.getState().setSummary(current);
        if (info.kind !== 'participant') useLiveStore.getState().setSharing(await host.getSharingStatus({}));
        useScenarioStore.getState().setState(current ? await host.listScenarios({}) : null);
      } catch (error) {
        if (!cancelled) ui.reportError(error);
      }
    };
    void synchronise();

    const unsubscribers = [
      host.on('projectOpened', (opened) => {
        useProjectStore.getState().setSummary(opened);
        host.listScenarios({}).then((state) => useScenarioStore.getState().setState(state), (error: unknown) => useUiStore.getState().reportError(error));
      }),
      host.on('scenariosChanged', (state) => {
        useScenarioStore.getState().setState(state);
        useProjectStore.getState().applyTableChanges(state.touched, { canUndo: state.canUndo, canRedo: state.canRedo });
      }),
      host.on('projectClosed', () => {
        useScenarioStore.getState().setState(null);
        useSelectionStore.getState().select(null);
        useProjectStore.getState().setSummary(null);
      }),
      host.on('projectChanged', (result) => {
        useProjectStore.getState().applyEditResult(result);
        // Settings (such as the basemap address) live in the summary: read it again.
        if (result.touched.includes('verkosto_settings')) {
          host.getProjectSummary({}).then(
            (current) => useProjectStore.getState().setSummary(current),
            (error: unknown) => useUiStore.getState().reportError(error),
          );
        }
      }),
      host.on('sharingChanged', (status) => useLiveStore.getState().setSharing(status)),
      useUiStore.subscribe((state, previous) => {
        if (state.connection === 'connected' && previous.connection === 'reconnecting') void synchronise();
      }),
    ];
    return () => {
      cancelled = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [host]);

  return (
    <div className="app">
      <div className="banner-stack">
        <ConnectionNotice />
        <ErrorBanner />
      </div>
      {hostInfo === null ? (
        <div className="splash" role="status">
          <Spinner />
          <span>{t('app.connecting')}</span>
        </div>
      ) : hostInfo.kind === 'participant' ? (
        <ParticipantView />
      ) : summary ? (
        <Workspace key={summary.path} summary={summary} />
      ) : (
        <WelcomeScreen />
      )}
    </div>
  );
}
