import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import type { DirectoryEntry } from '../../../shared/contract/index';
import { formatBytes } from '../../../shared/format';
import { isSaveKind, type PickKind } from '../../store/dialogs/slice';
import { formatInstant } from '../../store/start/selectors';
import { useActions, useApp } from '../../store/react';
import { Modal } from './modal';

const KIND_TEXT: Readonly<Record<PickKind, { title: string; files: string; placeholder: string }>> = {
  'open-project': { title: 'Open project', files: '.cplan files', placeholder: 'Choose a file above or type its name' },
  'save-project': { title: 'Save project as', files: '.cplan files', placeholder: 'plan.cplan' },
  'open-csv': { title: 'Choose a CSV file', files: 'CSV files (.csv, .tsv, .txt)', placeholder: 'Choose a file above or type its name' },
  'save-csv': { title: 'Export to CSV file', files: 'CSV files (.csv, .tsv, .txt)', placeholder: 'profiles.csv' },
  'save-html': { title: 'Export HTML report', files: 'HTML files (.html, .htm)', placeholder: 'report.html' },
  'save-sql': { title: 'Save SQL query', files: 'SQL files (.sql)', placeholder: 'split.sql' },
};

/**
 * The in-app file browser of browser mode: folders and .cplan (or CSV) files from the
 * engine's `files/list`, a folder field to type into, and a file name field.
 */
export function FileBrowserDialog() {
  const browser = useApp((s) => s.fileBrowser);
  const actions = useActions();
  const listRef = useRef<HTMLDivElement>(null);
  const shownDir = browser?.listing?.dir ?? null;
  const opening = browser !== null && !isSaveKind(browser.kind);
  const firstListing = useRef(true);
  /** The user has typed or clicked in the dialog: the focus is theirs, not the first listing's. */
  const touched = useRef(false);
  // A new folder's entries replace the button that opened it, and the focus would fall to
  // the page: it goes to the folder's first entry instead. The first folder shown when
  // opening a file takes the focus too, so Tab and Enter start where the choice is, unless
  // the user got there first (typing a folder while the first listing loads): taking the
  // focus then would send their Enter to the first entry.
  useEffect(() => {
    const list = listRef.current;
    if (!list || shownDir === null) return;
    const active = document.activeElement;
    const lost = active === null || active === document.body || !list.closest('.modal')?.contains(active);
    if (lost || (opening && firstListing.current && !touched.current)) {
      list.querySelector<HTMLElement>('.entry-name')?.focus();
    }
    firstListing.current = false;
  }, [shownDir, opening]);
  const open = browser !== null;
  useEffect(() => {
    if (!open) {
      firstListing.current = true;
      touched.current = false;
    }
  }, [open]);
  if (!browser) return null;
  const { listing } = browser;
  const saving = isSaveKind(browser.kind);
  const text = KIND_TEXT[browser.kind];
  const title = text.title;

  const touch = () => {
    touched.current = true;
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void actions.confirmFileBrowser();
  };
  const onLocationKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void actions.browse(browser.location.trim() || undefined);
    }
  };
  const openEntry = (entry: DirectoryEntry) => {
    actions.chooseBrowserEntry(entry);
    if (entry.kind === 'file') void actions.confirmFileBrowser();
  };

  return (
    <Modal labelledBy="file-browser-title" className="file-browser" onCancel={actions.cancelFileBrowser}>
      <form
        onSubmit={onSubmit}
        className="file-browser-form"
        aria-busy={browser.loading}
        onKeyDownCapture={touch}
        onPointerDownCapture={touch}
        onInputCapture={touch}
      >
        <h2 id="file-browser-title" className="modal-title">
          {title}
        </h2>
        <div className="file-browser-toolbar">
          <button
            type="button"
            className="button button-plain"
            disabled={!listing?.parent}
            onClick={() => listing?.parent && void actions.browse(listing.parent)}
          >
            Up one folder
          </button>
          <button type="button" className="button button-plain" onClick={() => listing && void actions.browse(listing.home)}>
            Home
          </button>
          <label className="field field-inline file-browser-location">
            <span className="field-label">Folder</span>
            <input
              type="text"
              value={browser.location}
              spellCheck={false}
              onChange={(e) => actions.setBrowserLocation(e.target.value)}
              onKeyDown={onLocationKey}
            />
          </label>
          <button
            type="button"
            className="button button-plain"
            onClick={() => void actions.browse(browser.location.trim() || undefined)}
          >
            Go
          </button>
        </div>
        <div ref={listRef} className="file-browser-list" aria-label={listing ? `Contents of ${listing.dir}` : 'Folder contents'} role="group">
          {listing && listing.entries.length === 0 && (
            <p className="empty-note">This folder has no subfolders and no {text.files}.</p>
          )}
          {listing && listing.entries.length > 0 && (
            <ul className="entry-list">
              {listing.entries.map((entry) => (
                // The whole row answers the mouse; its button, named by the entry alone, the keyboard.
                <li
                  key={entry.path}
                  className={`entry entry-${entry.kind}${entry.kind === 'file' && entry.name === browser.fileName ? ' entry-chosen' : ''}`}
                  onClick={() => actions.chooseBrowserEntry(entry)}
                  onDoubleClick={() => openEntry(entry)}
                >
                  <span className="entry-icon" aria-hidden="true" />
                  <button
                    type="button"
                    className="entry-name"
                    aria-label={entry.kind === 'directory' ? `${entry.name} (folder)` : undefined}
                    aria-pressed={entry.kind === 'file' ? entry.name === browser.fileName : undefined}
                    title={entry.name}
                  >
                    {entry.name}
                  </button>
                  <span className="entry-size">{entry.sizeBytes === null ? '' : formatBytes(entry.sizeBytes)}</span>
                  <span className="entry-date">{entry.modifiedAt ? formatInstant(entry.modifiedAt) : ''}</span>
                </li>
              ))}
            </ul>
          )}
          {!listing && browser.loading && <p className="empty-note">Loading…</p>}
        </div>
        <label className="field field-inline">
          <span className="field-label">File name</span>
          <input
            type="text"
            value={browser.fileName}
            spellCheck={false}
            placeholder={text.placeholder}
            data-autofocus={saving ? '' : undefined}
            onFocus={(e) => {
              // A suggested name is selected up to its extension, once, so typing replaces it rather than adding to it.
              if (!saving || e.target.dataset.selectedOnce) return;
              e.target.dataset.selectedOnce = 'yes';
              const dot = e.target.value.lastIndexOf('.');
              e.target.setSelectionRange(0, dot > 0 ? dot : e.target.value.length);
            }}
            onChange={(e) => actions.setBrowserFileName(e.target.value)}
          />
        </label>
        {browser.error && (
          <p role="alert" className="field-error">
            {browser.error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={actions.cancelFileBrowser}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!listing}>
            {saving ? 'Save' : browser.kind === 'open-csv' ? 'Choose' : 'Open'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
