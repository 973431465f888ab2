/** The workspace of an open project: top bar, layer panel, map, side panel and status bar. */
import { useRef, useState } from 'react';
import type { ProjectSummary } from '../../shared/contract/host-api';
import { MapView } from '../map/map-view';
import { useProjectStore } from '../state/project-store';
import { useSelectionStore } from '../state/selection-store';
import { AboutDataDialog } from './about-data-dialog';
import { useHost, useReportingCall } from './host-context';
import { LayerPanel } from './layer-panel';
import { ShareDialog } from '../live/share-dialog';
import { CompareView } from '../scenarios/compare-view';
import { ScenarioDialog } from '../scenarios/scenario-manager';
import { PresentationOverlay } from '../present/presentation-mode';
import { usePresentStore } from '../present/present-store';
import { SaveAsDialog } from './save-as-dialog';
import { SidePanel } from './side-panel';
import { StatusBar } from './status-bar';
import { TopBar } from './top-bar';

export function Workspace({ summary }: { summary: ProjectSummary }) {
  const host = useHost();
  const run = useReportingCall();
  const setSummary = useProjectStore((state) => state.setSummary);
  const scaleRef = useRef<HTMLDivElement>(null);
  const [aboutVisible, setAboutVisible] = useState(false);
  const [closing, setClosing] = useState(false);
  const [saveAsVisible, setSaveAsVisible] = useState(false);
  const [shareVisible, setShareVisible] = useState(false);
  const [scenariosVisible, setScenariosVisible] = useState(false);
  const presenting = usePresentStore((state) => state.active);
  const [compareVisible, setCompareVisible] = useState(false);
  const hostInfo = useProjectStore((state) => state.hostInfo);

  // The desktop app asks with the operating system's dialog; the browser host with our own.
  const saveAs = async () => {
    if (!hostInfo?.nativeFileDialogs) return setSaveAsVisible(true);
    const target = await run(() => host.chooseProjectFile({ purpose: 'saveAs' }));
    if (!target) return;
    const saved = await run(() => host.saveProjectAs({ path: target }));
    if (saved) setSummary(saved);
  };

  const closeProject = async () => {
    setClosing(true);
    const result = await run(async () => {
      await host.closeProject({});
      return true;
    });
    setClosing(false);
    if (result) {
      useSelectionStore.getState().select(null);
      setSummary(null);
    }
  };

  return (
    <div className={presenting ? 'workspace workspace--presenting' : 'workspace'} data-testid="workspace">
      <TopBar summary={summary} onAboutData={() => setAboutVisible(true)} onSaveAs={() => void saveAs()} onShare={() => setShareVisible(true)} onManageScenarios={() => setScenariosVisible(true)} onCloseProject={() => void closeProject()} closing={closing} />
      <div className="workspace-body">
        <LayerPanel />
        <MapView summary={summary} scaleTargetRef={scaleRef} />
        <SidePanel />
      </div>
      <StatusBar epsg={summary.epsg} scaleRef={scaleRef} />
      {presenting && <PresentationOverlay />}
      {aboutVisible && <AboutDataDialog onClose={() => setAboutVisible(false)} />}
      {scenariosVisible && (
        <ScenarioDialog
          onClose={() => setScenariosVisible(false)}
          onCompare={() => {
            setScenariosVisible(false);
            setCompareVisible(true);
          }}
        />
      )}
      {compareVisible && <CompareView onClose={() => setCompareVisible(false)} />}
      {shareVisible && <ShareDialog onClose={() => setShareVisible(false)} />}
      {saveAsVisible && <SaveAsDialog currentName={summary.name} onClose={() => setSaveAsVisible(false)} />}
    </div>
  );
}
