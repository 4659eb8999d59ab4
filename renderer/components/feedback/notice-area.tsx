import { useEffect } from 'react';
import type { Notice } from '../../store/notices/slice';
import { selectNotices } from '../../store/notices/selectors';
import { useActions, useApp } from '../../store/react';
import { useTopModal } from '../dialogs/modal-stack';

/**
 * How long news stays (a segment created, a campaign activated): long enough to read, short
 * enough not to take the page's room for long. Errors and warnings stay until dismissed.
 */
const NEWS_MS = 7000;

/**
 * Errors and messages: what happened, and what to do about it. Each can be dismissed. They
 * take their own strip above the status bar, never lying over the page's rows; while a
 * dialog is open they show inside it instead (the Modal renders them).
 */
export function NoticeArea() {
  const dialogOpen = useTopModal() !== null;
  return dialogOpen ? null : <NoticeList className="notices-bar" />;
}

/** The messages, newest last, as a region named "Messages" (empty when there are none). */
export function NoticeList({ className }: { className: string }) {
  const notices = useApp(selectNotices);
  return (
    <section className={`notices ${className}`} aria-label="Messages">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </section>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  const { dismissNotice } = useActions();
  const news = notice.tone === 'success' || notice.tone === 'info';
  useEffect(() => {
    if (!news) return undefined;
    // Counted from when it was given: the item shows anew each time a dialog opens or closes.
    const timer = setTimeout(() => dismissNotice(notice.id), Math.max(0, NEWS_MS - (Date.now() - notice.at)));
    return () => clearTimeout(timer);
  }, [news, notice.id, notice.at, dismissNotice]);
  return (
    <div role={notice.tone === 'error' ? 'alert' : 'status'} className={`notice notice-${notice.tone}`}>
      <div className="notice-body">
        <p className="notice-title">{notice.title}</p>
        <p className="notice-message">{notice.message}</p>
        {notice.hint && <p className="notice-hint">{notice.hint}</p>}
      </div>
      <button type="button" className="icon-button notice-dismiss" aria-label={`Dismiss message: ${notice.title}`} onClick={() => dismissNotice(notice.id)}>
        ×
      </button>
    </div>
  );
}
