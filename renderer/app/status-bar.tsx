/** The status bar: cursor coordinates in the project CRS and the scale line (placed here by the map). */
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { useUiStore } from '../state/ui-store';
import { useProjectStore } from '../state/project-store';
import { EditingStatus } from '../editing/editing-toolbar';
import { formatMapCoordinate } from './format';

export function StatusBar({ epsg, scaleRef }: { epsg: number; scaleRef: Ref<HTMLDivElement> }) {
  const { t } = useTranslation();
  const cursor = useUiStore((state) => state.cursor);
  const editing = useProjectStore((state) => state.hostInfo !== null && state.hostInfo.kind !== 'participant');
  return (
    <footer className="status-bar">
      <div className="status-scale" ref={scaleRef} aria-label={t('status.scale')} />
      {editing && <EditingStatus />}
      <div className="status-spacer" />
      <output className="status-coordinates" data-testid="cursor-coordinates" aria-label={t('status.cursor')}>
        {cursor ? formatMapCoordinate(cursor, epsg, { east: t('status.east'), north: t('status.north') }) : t('status.cursorOutside', { crs: `EPSG:${epsg}` })}
      </output>
    </footer>
  );
}
