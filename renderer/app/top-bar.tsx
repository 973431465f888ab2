/** The workspace's top bar: product, project and scenario, language, presentation, sharing, import and the project menu. */
import { useTranslation } from 'react-i18next';
import type { ProjectSummary } from '../../shared/contract/host-api';
import { crsLabel } from '../../shared/geo/crs';
import { InfoIcon, LogoMark } from './icons';
import { useLiveStore } from '../live/live-store';
import { enterPresentation } from '../present/presentation-mode';
import { ScenarioSwitcher } from '../scenarios/scenario-manager';
import { LanguageSelect } from './language-select';
import { ImportMenu } from '../import/import-menu';
import { ProjectMenu } from './project-menu';

export interface TopBarProps {
  summary: ProjectSummary;
  onAboutData(): void;
  onSaveAs(): void;
  onShare(): void;
  onManageScenarios(): void;
  onCloseProject(): void;
  closing: boolean;
}

export function TopBar({ summary, onAboutData, onSaveAs, onShare, onManageScenarios, onCloseProject, closing }: TopBarProps) {
  const { t } = useTranslation();
  const sharingActive = useLiveStore((state) => state.sharing?.active ?? false);
  return (
    <header className="top-bar">
      <div className="brand">
        <LogoMark className="logo-mark" width={28} height={28} />
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <div className="top-bar-project">
        <span className="project-name" data-testid="project-name" title={summary.path}>
          {summary.name}
        </span>
        <span className="crs-chip" data-testid="project-crs" title={t('topBar.crs')}>
          {crsLabel(summary.epsg)}
        </span>
        <ScenarioSwitcher onManage={onManageScenarios} />
      </div>
      <div className="top-bar-actions">
        <LanguageSelect compact />
        <button type="button" className="button button--ghost" onClick={enterPresentation} data-testid="present">
          {t('present.enter')}
        </button>
        <button type="button" className={sharingActive ? 'button button--live' : 'button button--ghost'} onClick={onShare} data-testid="share">
          {sharingActive ? t('share.active') : t('share.button')}
        </button>
        <ImportMenu />
        <ProjectMenu>
          <button type="button" className="project-menu-item" role="menuitem" onClick={onSaveAs} data-testid="save-as">
            {t('topBar.saveAs')}
          </button>
          <button type="button" className="project-menu-item" role="menuitem" onClick={onAboutData} data-testid="about-data">
            <InfoIcon />
            {t('topBar.aboutData')}
          </button>
          <button type="button" className="project-menu-item" role="menuitem" onClick={onCloseProject} disabled={closing} data-testid="close-project">
            {t('topBar.closeProject')}
          </button>
        </ProjectMenu>
      </div>
    </header>
  );
}
