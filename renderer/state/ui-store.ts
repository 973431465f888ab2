/**
 * UI state that is not project data: the UI language, the error banner, the host connection, whether the
 * online basemap is available, and the cursor position over the map.
 */
import { create } from 'zustand';
import { VerkostoError, type ErrorParams } from '../../shared/errors';
import { DEFAULT_LANGUAGE, type UiLanguage } from '../../shared/i18n';
import { HostConnectionError, type ConnectionState } from '../host/transport';

/** A message for the banner: an i18n key and its parameters, translated when shown (so a language switch applies). */
export interface BannerMessage {
  key: string;
  params: ErrorParams;
  /** Increments per report, so the same error reported twice is noticed. */
  serial: number;
}

export type BasemapStatus = 'probing' | 'online' | 'offline';

export interface UiState {
  language: UiLanguage;
  error: BannerMessage | null;
  connection: ConnectionState;
  basemapStatus: BasemapStatus;
  /** Cursor position over the map in the project CRS, or null when the pointer is outside it. */
  cursor: [number, number] | null;
  /** What the map shows, [minX, minY, maxX, maxY] in the project CRS (e.g. to import only this area). */
  viewExtent: [number, number, number, number] | null;
  setLanguage(language: UiLanguage): void;
  reportError(error: unknown): void;
  dismissError(): void;
  setConnection(connection: ConnectionState): void;
  setBasemapStatus(status: BasemapStatus): void;
  setCursor(cursor: [number, number] | null): void;
  setViewExtent(extent: [number, number, number, number] | null): void;
}

let serial = 0;

/** Turns anything thrown into a banner message: host errors by code, connection failures by reason. */
export function bannerMessageFor(error: unknown): BannerMessage {
  serial += 1;
  if (error instanceof VerkostoError) return { key: `errors.${error.code}`, params: error.params, serial };
  if (error instanceof HostConnectionError) return { key: `connection.${error.reason}`, params: { method: error.method }, serial };
  const detail = error instanceof Error ? error.message : String(error);
  return { key: 'errors.internal', params: { detail }, serial };
}

export const useUiStore = create<UiState>()((set) => ({
  language: DEFAULT_LANGUAGE,
  error: null,
  connection: 'connecting',
  basemapStatus: 'probing',
  cursor: null,
  viewExtent: null,
  setLanguage: (language) => set({ language }),
  reportError: (error) => {
    // warn, not error: a user error (a missing file) is expected behaviour, not a defect in the page.
    console.warn(error);
    set({ error: bannerMessageFor(error) });
  },
  dismissError: () => set({ error: null }),
  setConnection: (connection) => set({ connection }),
  setBasemapStatus: (basemapStatus) => set({ basemapStatus }),
  setCursor: (cursor) => set({ cursor }),
  setViewExtent: (viewExtent) => set({ viewExtent }),
}));
