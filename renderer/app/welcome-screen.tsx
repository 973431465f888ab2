/**
 * The start screen when no project is open: create a project, open one, open the Helsinki sample, or pick
 * a recent project. Where the host has native dialogs (Electron) the file is chosen there; in the browser
 * build new projects go to the host's projects directory and "Open…" lists that directory.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FORBIDDEN_NAME_CHARACTERS, projectPathFor } from './project-paths';
import type { ProjectSummary, RecentProject } from '../../shared/contract/host-api';
import { DEFAULT_PROJECT_EPSG, SUPPORTED_CRS, crsLabel } from '../../shared/geo/crs';
import { useProjectStore } from '../state/project-store';
import { useUiStore } from '../state/ui-store';
import { formatDateTime } from './format';
import { useHost, useReportingCall } from './host-context';
import { ClockIcon, FolderIcon, LogoMark, MapIcon, PlusIcon, Spinner } from './icons';
import { LanguageSelect } from './language-select';
import { OpenProjectDialog } from './open-project-dialog';

type BusyAction = 'sample' | 'create' | 'open' | null;

/** Characters no file name on Windows, macOS or Linux may contain. */

export function WelcomeScreen() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const hostInfo = useProjectStore((state) => state.hostInfo);
  const setSummary = useProjectStore((state) => state.setSummary);
  const language = useUiStore((state) => state.language);

  const [busy, setBusy] = useState<BusyAction>(null);
  const [recent, setRecent] = useState<RecentProject[] | null>(null);
  const [name, setName] = useState('');
  const [epsg, setEpsg] = useState(DEFAULT_PROJECT_EPSG);
  const [openDialogVisible, setOpenDialogVisible] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void run(() => host.listRecentProjects({})).then((projects) => {
      if (!cancelled) setRecent(projects ?? []);
    });
    return () => {
      cancelled = true;
    };
  }, [host, run]);

  const withBusy = useCallback(
    async (action: BusyAction, open: () => Promise<ProjectSummary | null | undefined>) => {
      setBusy(action);
      try {
        const summary = await run(open);
        if (summary) setSummary(summary);
      } finally {
        setBusy(null);
      }
    },
    [run, setSummary],
  );

  const trimmedName = name.trim();
  const nameInvalid = FORBIDDEN_NAME_CHARACTERS.test(trimmedName);
  const native = hostInfo?.nativeFileDialogs ?? false;
  const targetPath = !native && hostInfo?.projectsDirectory && trimmedName ? projectPathFor(hostInfo.projectsDirectory, trimmedName) : null;
  const canCreate = trimmedName.length > 0 && !nameInvalid && busy === null && (native || Boolean(hostInfo?.projectsDirectory));

  const createProject = (event: FormEvent) => {
    event.preventDefault();
    if (!canCreate || !hostInfo) return;
    void withBusy('create', async () => {
      const path = native ? await host.chooseProjectFile({ purpose: 'create' }) : targetPath;
      if (!path) return null;
      return host.createProject({ path, epsg, name: trimmedName });
    });
  };

  const openProject = () => {
    if (native) {
      void withBusy('open', async () => {
        const path = await host.chooseProjectFile({ purpose: 'open' });
        return path ? host.openProject({ path }) : null;
      });
    } else {
      setOpenDialogVisible(true);
    }
  };

  const openPath = (path: string) => withBusy('open', () => host.openProject({ path }));

  return (
    <div className="welcome" data-testid="welcome-screen">
      <header className="welcome-header">
        <div className="brand brand--large">
          <LogoMark className="logo-mark" width={48} height={48} />
          <div>
            <h1 className="brand-name">{t('app.name')}</h1>
            <p className="brand-tagline">{t('app.tagline')}</p>
          </div>
        </div>
        <LanguageSelect />
      </header>

      <main className="welcome-grid">
        <section className="card card--accent" aria-labelledby="welcome-sample-title">
          <div className="card-icon">
            <MapIcon />
          </div>
          <h2 id="welcome-sample-title">{t('welcome.sample.title')}</h2>
          <p className="card-text">{t('welcome.sample.description')}</p>
          <button
            type="button"
            className="button button--primary button--large"
            data-testid="open-sample"
            disabled={busy !== null}
            aria-busy={busy === 'sample'}
            onClick={() => void withBusy('sample', () => host.openSampleProject({}))}
          >
            {busy === 'sample' ? <Spinner /> : null}
            {busy === 'sample' ? t('welcome.sample.busy') : t('welcome.sample.action')}
          </button>
          {busy === 'sample' && <p className="card-hint" role="status">{t('welcome.sample.busyHint')}</p>}
        </section>

        <section className="card" aria-labelledby="welcome-new-title">
          <div className="card-icon">
            <PlusIcon />
          </div>
          <h2 id="welcome-new-title">{t('welcome.create.title')}</h2>
          <form className="form" onSubmit={createProject}>
            <label className="field">
              <span className="field-label">{t('welcome.create.name')}</span>
              <input
                type="text"
                value={name}
                maxLength={200}
                placeholder={t('welcome.create.namePlaceholder')}
                onChange={(event) => setName(event.target.value)}
                aria-invalid={nameInvalid}
                data-testid="new-project-name"
              />
            </label>
            {nameInvalid && <p className="field-error">{t('welcome.create.nameInvalid')}</p>}
            <label className="field">
              <span className="field-label">{t('welcome.create.crs')}</span>
              <select value={epsg} onChange={(event) => setEpsg(Number(event.target.value))} data-testid="new-project-crs">
                {[...SUPPORTED_CRS.keys()].map((code) => (
                  <option key={code} value={code}>
                    {crsLabel(code)}
                  </option>
                ))}
              </select>
            </label>
            {targetPath && <p className="field-hint">{t('welcome.create.savedAs', { path: targetPath })}</p>}
            <button type="submit" className="button" disabled={!canCreate} data-testid="create-project">
              {busy === 'create' ? <Spinner /> : null}
              {native ? t('welcome.create.actionNative') : t('welcome.create.action')}
            </button>
          </form>
        </section>

        <section className="card" aria-labelledby="welcome-open-title">
          <div className="card-icon">
            <FolderIcon />
          </div>
          <h2 id="welcome-open-title">{t('welcome.open.title')}</h2>
          <p className="card-text">{t('welcome.open.description')}</p>
          <button type="button" className="button" disabled={busy !== null} onClick={openProject} data-testid="open-project">
            {busy === 'open' ? <Spinner /> : null}
            {t('welcome.open.action')}
          </button>
        </section>

        <section className="card card--recent" aria-labelledby="welcome-recent-title">
          <div className="card-icon">
            <ClockIcon />
          </div>
          <h2 id="welcome-recent-title">{t('welcome.recent.title')}</h2>
          {recent === null ? (
            <p className="card-text muted">{t('common.loading')}</p>
          ) : recent.length === 0 ? (
            <p className="card-text muted">{t('welcome.recent.empty')}</p>
          ) : (
            <ul className="recent-list" data-testid="recent-projects">
              {recent.map((project) => (
                <li key={project.path}>
                  <button
                    type="button"
                    className={project.exists ? 'recent-item' : 'recent-item recent-item--missing'}
                    disabled={!project.exists || busy !== null}
                    aria-disabled={!project.exists}
                    title={project.exists ? project.path : t('welcome.recent.missing')}
                    onClick={() => project.exists && void openPath(project.path)}
                    data-testid="recent-project"
                  >
                    <span className="recent-name">{project.name}</span>
                    <span className="recent-path">{project.path}</span>
                    <span className="recent-meta">
                      {project.exists ? t('welcome.recent.openedAt', { when: formatDateTime(project.openedAt, language) }) : t('welcome.recent.missing')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>

      <footer className="welcome-footer">
        {hostInfo ? t('welcome.footer', { version: hostInfo.version, host: t(`welcome.hostKind.${hostInfo.kind}`) }) : null}
      </footer>

      {openDialogVisible && (
        <OpenProjectDialog
          onClose={() => setOpenDialogVisible(false)}
          onOpen={(path) => {
            setOpenDialogVisible(false);
            void openPath(path);
          }}
        />
      )}
    </div>
  );
}
