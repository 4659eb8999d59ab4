import type { ErrorCode } from '../../../shared/contract/index';
import type { SliceCreator } from '../types';
import { describeError, type NoticeTone } from './messages';

export interface Notice {
  readonly id: number;
  readonly tone: NoticeTone;
  readonly title: string;
  readonly message: string;
  readonly hint: string | null;
  readonly code: ErrorCode | null;
  /** When it was given (Date.now()): news fades a fixed time after, wherever it shows meanwhile. */
  readonly at: number;
}

export interface NoticesSlice {
  /** Oldest first; at most MAX_NOTICES are kept. */
  notices: readonly Notice[];
  notify(notice: Omit<Notice, 'id' | 'code' | 'hint' | 'at'> & { hint?: string | null; code?: ErrorCode | null }): void;
  /** Shows the error of a failed action as a notice. */
  reportError(error: unknown): void;
  dismissNotice(id: number): void;
  clearNotices(): void;
}

const MAX_NOTICES = 4;

export const createNoticesSlice = (): SliceCreator<NoticesSlice> => {
  let nextId = 1;
  return (set, get) => ({
    notices: [],

    notify(notice) {
      const added: Notice = { hint: null, code: null, ...notice, id: nextId++, at: Date.now() };
      // The same message twice in a row (a repeated failing click) shows once.
      const others = get().notices.filter((n) => !(n.title === added.title && n.message === added.message));
      set({ notices: [...others, added].slice(-MAX_NOTICES) });
    },

    reportError(error) {
      const { tone, title, message, hint, code } = describeError(error);
      get().notify({ tone, title, message, hint, code });
    },

    dismissNotice(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },

    clearNotices() {
      set({ notices: [] });
    },
  });
};
