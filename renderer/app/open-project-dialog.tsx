/** "Open…" where the host has no native file dialog: the project files in the host's projects directory, plus a path field. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProjectFileEntry } from '../../shared/contract/host-api';
import { useProjectStore } from '../state/project-store';
import { useUiStore } from '../state/ui-store';
import { formatBytes, formatDateTime } from './format';
import { useHost, useReportingCall } from './host-context';
import { Modal } from './modal';

export function OpenProjectDialog({ onClose, onOpen }: { onClose(): void; onOpen(path: string): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const language = useUiStore((state) => state.language);
  const directory = useProjectStore((state) => state.hostInfo?.projectsDirectory ?? null);
  const [files, setFiles] = useState<ProjectFileEntry[] | null>(null);
  const [path, setPath] = useState('');

  useEffect(() => {
    let cancelled = false;
    void run(() => host.listProjectFiles({})).then((entries) => {
      if (!cancelled) setFiles(entries ?? []);
    });
    return () => {
      cancelled = true;
    };
  }, [host, run]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) onOpen(path.trim());
  };

  return (
    <Modal title={t('openDialog.title')} onClose={onClose} wide testId="open-dialog">
      {directory && <p className="muted">{t('openDialog.directory', { directory })}</p>}
      {files === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : files.length === 0 ? (
        <p className="muted">{t('openDialog.empty')}</p>
      ) : (
        <table className="data-table data-table--clickable">
          <thead>
            <tr>
              <th scope="col">{t('openDialog.name')}</th>
              <th scope="col" className="numeric">{t('openDialog.size')}</th>
              <th scope="col">{t('openDialog.modified')}</th>
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={file.path}>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpen(file.path)} title={file.path} data-testid="project-file">
                    {file.name}
                  </button>
                </td>
                <td className="numeric">{formatBytes(file.sizeBytes, language)}</td>
                <td>{formatDateTime(file.modifiedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form form--inline" onSubmit={submit}>
        <label className="field field--grow">
          <span className="field-label">{t('openDialog.path')}</span>
          <input type="text" value={path} onChange={(event) => setPath(event.target.value)} placeholder={t('openDialog.pathPlaceholder')} data-testid="open-path" />
        </label>
        <button type="submit" className="button button--primary" disabled={!path.trim()}>
          {t('openDialog.open')}
        </button>
      </form>
    </Modal>
  );
}
