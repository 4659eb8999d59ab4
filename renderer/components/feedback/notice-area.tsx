import { selectNotices } from '../../store/notices/selectors';
import { useActions, useApp } from '../../store/react';

/** Errors and messages: what happened, and what to do about it. Each can be dismissed. */
export function NoticeArea() {
  const notices = useApp(selectNotices);
  const { dismissNotice } = useActions();
  return (
    <section className="notices" aria-label="Messages">
      {notices.map((notice) => (
        <div key={notice.id} role={notice.tone === 'error' ? 'alert' : 'status'} className={`notice notice-${notice.tone}`}>
          <div className="notice-body">
            <p className="notice-title">{notice.title}</p>
            <p className="notice-message">{notice.message}</p>
            {notice.hint && <p className="notice-hint">{notice.hint}</p>}
          </div>
          <button
            type="button"
            className="icon-button notice-dismiss"
            aria-label={`Dismiss message: ${notice.title}`}
            onClick={() => dismissNotice(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
