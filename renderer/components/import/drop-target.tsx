import { useEffect, useState } from 'react';
import { selectIsProjectOpen } from '../../store/project/selectors';
import { useApp, useStoreApi } from '../../store/react';

const hasFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;

/**
 * A CSV file dropped anywhere on the window starts an import (or becomes the file of the
 * import wizard, or the list of IDs of a new segment). Dropped files never make the page
 * navigate away to show the file.
 */
export function DropTarget() {
  const store = useStoreApi();
  const open = useApp(selectIsProjectOpen);
  const [over, setOver] = useState(false);
  const forSegment = useApp((s) => s.segmentDialog !== null);

  useEffect(() => {
    let depth = 0;
    const accepts = () => {
      const s = store.getState();
      const wizardBusy = s.importWizard !== null && !['file', 'preview', 'columns', 'options'].includes(s.importWizard.step);
      return s.project.open && !wizardBusy && s.exportDialog === null && s.confirm === null && s.fileBrowser === null && !s.segmentDialog?.running;
    };
    const onDragEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth += 1;
      if (accepts()) setOver(true);
    };
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = accepts() ? 'copy' : 'none';
    };
    const onDragLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setOver(false);
      const file = event.dataTransfer?.files[0];
      if (!file || !accepts()) return;
      const s = store.getState();
      if (s.segmentDialog) void s.segmentDroppedFile(file);
      else void s.importDroppedFile(file);
    };
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [store]);

  if (!over || !open) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        {forSegment ? (
          <>
            <p className="drop-overlay-title">Drop the CSV file of profile IDs</p>
            <p className="drop-overlay-note">The new segment is made of the profiles it lists.</p>
          </>
        ) : (
          <>
            <p className="drop-overlay-title">Drop the CSV file to import it</p>
            <p className="drop-overlay-note">You choose the database and the columns next.</p>
          </>
        )}
      </div>
    </div>
  );
}
