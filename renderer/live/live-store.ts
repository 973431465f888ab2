/**
 * Live workshop state in the renderer: the facilitator's sharing status, the comment pins, and whether the
 * next map click places a comment (participants).
 */
import { create } from 'zustand';
import type { SharingStatus, WorkshopComment } from '../../shared/contract/host-api';

export interface LiveState {
  sharing: SharingStatus | null;
  comments: WorkshopComment[];
  /** A participant is choosing where a comment goes; the map click gives the point. */
  placingComment: boolean;
  /** Where the comment being written goes (map coordinates), once clicked. */
  draftPoint: [number, number] | null;
  setSharing(status: SharingStatus | null): void;
  setComments(comments: WorkshopComment[]): void;
  startPlacing(): void;
  setDraftPoint(point: [number, number] | null): void;
  cancelPlacing(): void;
}

export const useLiveStore = create<LiveState>()((set) => ({
  sharing: null,
  comments: [],
  placingComment: false,
  draftPoint: null,
  setSharing: (sharing) => set({ sharing }),
  setComments: (comments) => set({ comments }),
  startPlacing: () => set({ placingComment: true, draftPoint: null }),
  setDraftPoint: (draftPoint) => set({ draftPoint, placingComment: false }),
  cancelPlacing: () => set({ placingComment: false, draftPoint: null }),
}));
