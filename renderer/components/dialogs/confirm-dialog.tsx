import { useState, type KeyboardEvent } from 'react';
import type { ConfirmState } from '../../store/dialogs/slice';
import { useActions, useApp } from '../../store/react';
import { Modal } from './modal';

/** The store's question (unsaved changes, replace a file, complete a campaign), answered by a button. */
export function ConfirmDialog() {
  const confirm = useApp((s) => s.confirm);
  const { answerConfirm } = useActions();
  if (!confirm) return null;
  return (
    <Modal
      key={confirm.key}
      role="alertdialog"
      labelledBy="confirm-title"
      describedBy="confirm-message"
      className="confirm-dialog"
      onCancel={() => answerConfirm(confirm.cancelChoice)}
    >
      <ConfirmBody confirm={confirm} />
    </Modal>
  );
}

function ConfirmBody({ confirm }: { confirm: ConfirmState }) {
  const { answerConfirm } = useActions();
  const [typed, setTyped] = useState('');
  const strong = confirm.typeToConfirm;
  // Cancel comes first, as in every other dialog; the other answers keep the store's order.
  const choices = [...confirm.choices.filter((c) => c.id === confirm.cancelChoice), ...confirm.choices.filter((c) => c.id !== confirm.cancelChoice)];
  const locked = (choice: string) => strong !== undefined && choice === strong.choice && typed.trim() !== strong.expected.trim();

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Enter on a button presses that button; anywhere else it picks the default answer.
    if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      if (!locked(confirm.defaultChoice)) answerConfirm(confirm.defaultChoice);
    }
  };

  return (
    <div onKeyDown={onKeyDown}>
      <h2 id="confirm-title" className="modal-title">
        {confirm.title}
      </h2>
      <p id="confirm-message" className="modal-message">
        {confirm.message}
      </p>
      {confirm.details && confirm.details.length > 0 && (
        <ul className="confirm-details">
          {confirm.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {strong && (
        <label className="field confirm-typed">
          <span className="field-label">
            {strong.label}: <strong className="confirm-expected">{strong.expected}</strong>
          </span>
          <input type="text" value={typed} spellCheck={false} autoComplete="off" data-autofocus="" onChange={(e) => setTyped(e.target.value)} />
        </label>
      )}
      <div className="modal-actions">
        {choices.map((choice) => (
          <button
            key={choice.id}
            type="button"
            className={`button button-${choice.tone}`}
            disabled={locked(choice.id)}
            data-autofocus={!strong && choice.id === confirm.defaultChoice ? '' : undefined}
            onClick={() => answerConfirm(choice.id)}
          >
            {choice.label}
          </button>
        ))}
      </div>
    </div>
  );
}
