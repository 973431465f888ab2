/**
 * "Save as": copies the open project to a new file (the host uses SQLite's backup API) and continues there.
 * The desktop app asks with the native dialog; the browser host asks for a name in its projects folder.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProjectStore } from '../state/project-store';
import { useHost, useReportingCall } from './host-context';
import { Modal } from './modal';
import { FORBIDDEN_NAME_CHARACTERS, projectPathFor } from './project-paths';

export function SaveAsDialog({ currentName, onClose }: { currentName: string; onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const directory = useProjectStore((state) => state.hostInfo?.projectsDirectory ?? null);
  const [name, setName] = useState(`${currentName} (${t('saveAs.copySuffix')})`);
  const [busy, setBusy] = useState(false);
  const trimmed = name.trim();
  const invalid = FORBIDDEN_NAME_CHARACTERS.test(trimmed);
  const target = directory && trimmed && !invalid ? projectPathFor(directory, trimmed) : null;

  const save = async () => {
    if (!target) return;
    setBusy(true);
    const saved = await run(() => host.saveProjectAs({ path: target }));
    setBusy(false);
    if (saved) {
      useProjectStore.getState().setSummary(saved);
      onClose();
    }
  };

  return (
    <Modal
      title={t('saveAs.title')}
      onClose={onClose}
      testId="save-as-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" disabled={!target || busy} onClick={() => void save()} data-testid="save-as-confirm">
            {t('saveAs.save')}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">{t('saveAs.name')}</span>
        <input type="text" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} aria-invalid={invalid} data-testid="save-as-name" />
      </label>
      {invalid && <p className="field-error">{t('welcome.create.nameInvalid')}</p>}
      {target && <p className="field-hint">{t('saveAs.target', { path: target })}</p>}
    </Modal>
  );
}
