/** The top bar's "Import" and "Sources" buttons with their dialogs. */
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { ImportDialog } from './import-dialog';
import { SyncDialog } from './sync-dialog';

export function ImportMenu() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'import' | 'sync' | null>(null);
  return (
    <>
      <button type="button" className="button button--ghost" onClick={() => setOpen('import')} data-testid="open-import">
        {t('importer.button')}
      </button>
      <button type="button" className="button button--ghost" onClick={() => setOpen('sync')} data-testid="open-sync">
        {t('sync.button')}
      </button>
      {/* Portalled to <body>: inside the top bar the dialogs would inherit its stacking and text styles. */}
      {open === 'import' && createPortal(<ImportDialog onClose={() => setOpen(null)} />, document.body)}
      {open === 'sync' && createPortal(<SyncDialog onClose={() => setOpen(null)} />, document.body)}
    </>
  );
}
