/**
 * The basemap's tile address, a project setting (`basemap.url`): a city may use its own tile server.
 * Saving runs a `setting.set` command, so it is undoable and stored in the project file.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BASEMAP_SETTING_KEY, WorkspaceMap } from '../map/workspace-map';
import { useProjectStore } from '../state/project-store';
import { useHost, useReportingCall } from './host-context';

/** An XYZ template over http(s) with the {z}, {x} and {y} (or {-y}) placeholders. */
export function isTileUrlTemplate(text: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(text) && text.includes('{z}') && text.includes('{x}') && /\{-?y\}/.test(text);
}

export function BasemapSettings() {
  const { t } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const summary = useProjectStore((state) => state.summary);
  const current = summary ? WorkspaceMap.basemapUrlOf(summary) : '';
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? current;
  const valid = isTileUrlTemplate(value.trim());
  const changed = value.trim() !== current;

  const save = async () => {
    const done = await run(() => host.runCommand({ command: { type: 'setting.set', key: BASEMAP_SETTING_KEY, value: value.trim() } }));
    if (done) setDraft(null);
  };

  return (
    <form
      className="basemap-settings"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid && changed) void save();
      }}
    >
      <label className="field">
        <span className="field-label">{t('layers.basemap.urlLabel')}</span>
        <input type="text" value={value} spellCheck={false} onChange={(event) => setDraft(event.target.value)} aria-invalid={!valid} data-testid="basemap-url" />
      </label>
      {!valid && <p className="field-error">{t('layers.basemap.urlInvalid')}</p>}
      {changed && (
        <button type="submit" className="button" disabled={!valid} data-testid="basemap-url-save">
          {t('layers.basemap.save')}
        </button>
      )}
    </form>
  );
}
