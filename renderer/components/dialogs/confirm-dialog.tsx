import type { KeyboardEvent } from 'react';
import { useActions, useApp } from '../../store/react';
import { Modal } from './modal';

/** The store's question (unsaved changes, replace a file, discard a copy), answered by a button. */
export function ConfirmDialog() {
  const confirm = useApp((s) => s.confirm);
  const { answerConfirm } = useActions();
  if (!confirm) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Enter on a button presses that button; anywhere else it picks the default answer.
    if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      answerConfirm(confirm.defaultChoice);
    }
  };

  return (
    <Modal
      key={confirm.key}
      role="alertdialog"
      labelledBy="confirm-title"
      describedBy="confirm-message"
      className="confirm-dialog"
      onCancel={() => answerConfirm(confirm.cancelChoice)}
    >
      <div onKeyDown={onKeyDown}>
        <h2 id="confirm-title" className="modal-title">
          {confirm.title}
        </h2>
        <p id="confirm-message" className="modal-message">
          {confirm.message}
        </p>
        <div className="modal-actions">
          {confirm.choices.map((choice) => (
            <button
              key={choice.id}
              type="button"
              className={`button button-${choice.tone}`}
              data-autofocus={choice.id === confirm.defaultChoice ? '' : undefined}
              onClick={() => answerConfirm(choice.id)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </div>
    </Modal>
  );
}
