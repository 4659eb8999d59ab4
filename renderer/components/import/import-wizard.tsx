import { useEffect, useRef } from 'react';
import { countOf } from '../../lib/text';
import { stepProblem, WIZARD_STEPS, selectImportWizard } from '../../store/import-wizard/selectors';
import type { ImportWizardState, WizardStep } from '../../store/import-wizard/slice';
import { useActions, useApp } from '../../store/react';
import { Modal } from '../dialogs/modal';
import { ColumnsStep } from './columns-step';
import { EventsColumnsStep } from './events-columns-step';
import { EventsResultStep } from './events-result-step';
import { FileStep } from './file-step';
import { OptionsStep } from './options-step';
import { PreviewStep } from './preview-step';
import { ResultStep, RunningStep } from './result-step';

const NEXT: Partial<Record<WizardStep, WizardStep>> = { file: 'preview', preview: 'columns', columns: 'options' };
const BACK: Partial<Record<WizardStep, WizardStep>> = { preview: 'file', columns: 'preview', options: 'columns' };

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex="0"]';

/**
 * Import profiles, or events of a database's profiles, from a CSV file, step by step: what,
 * the file and where it goes, how it reads, where each column goes, how to import, then the
 * run (with Cancel) and what it did. Both read the file with the same reader and options.
 */
export function ImportWizard() {
  const wizard = useApp(selectImportWizard);
  const { closeImportWizard, cancelImport } = useActions();
  const body = useRef<HTMLDivElement>(null);
  // A step's controls replace the last step's, and the control that had focus (Choose
  // file…, Next) may go with them: focus then moves to the new step, so the keyboard
  // (Tab, Escape) stays in the wizard.
  useEffect(() => {
    const active = document.activeElement;
    // The dialog itself holds the focus only in between (the focus keeper put it there when Import went away).
    if (active && active !== document.body && active.isConnected && active.getAttribute('role') !== 'dialog') return;
    const step = body.current;
    const dialog = step?.closest<HTMLElement>('[role="dialog"]');
    // The marked control may be in the footer (View profiles), not only in the step.
    const target = dialog?.querySelector<HTMLElement>('[data-autofocus]') ?? step?.querySelector<HTMLElement>(FOCUSABLE) ?? dialog;
    target?.focus();
  });
  if (!wizard) return null;
  const events = wizard.importing === 'events';
  return (
    <Modal labelledBy="import-title" className="wizard" onCancel={() => (wizard.step === 'running' ? void cancelImport() : closeImportWizard())}>
      {/* Not <header>/<footer>: inside a dialog they would be page-level banner and contentinfo landmarks. */}
      <div className="wizard-header">
        <h2 id="import-title" className="modal-title">
          {events ? 'Import events from a CSV file' : 'Import profiles from a CSV file'}
        </h2>
        <StepIndicator step={wizard.step} />
      </div>
      <div className="wizard-body" ref={body}>
        {wizard.step === 'file' && <FileStep wizard={wizard} />}
        {wizard.step === 'preview' && <PreviewStep wizard={wizard} />}
        {wizard.step === 'columns' && (events ? <EventsColumnsStep wizard={wizard} /> : <ColumnsStep wizard={wizard} />)}
        {wizard.step === 'options' && <OptionsStep wizard={wizard} />}
        {wizard.step === 'running' && <RunningStep wizard={wizard} />}
        {wizard.step === 'result' && (events ? <EventsResultStep wizard={wizard} /> : <ResultStep wizard={wizard} />)}
      </div>
      <WizardFooter wizard={wizard} />
    </Modal>
  );
}

function StepIndicator({ step }: { step: WizardStep }) {
  const current = step === 'running' ? 'result' : step;
  const index = WIZARD_STEPS.findIndex((s) => s.id === current);
  return (
    <ol className="steps" aria-label="Steps">
      {WIZARD_STEPS.map((s, i) => (
        <li key={s.id} className={i < index ? 'step done' : i === index ? 'step current' : 'step'} aria-current={i === index ? 'step' : undefined}>
          <span className="step-number" aria-hidden="true">
            {i + 1}
          </span>
          {s.label}
        </li>
      ))}
    </ol>
  );
}

function WizardFooter({ wizard }: { wizard: ImportWizardState }) {
  const actions = useActions();
  const problem = useApp((s) => (NEXT[wizard.step] || wizard.step === 'options' ? stepProblem(s, wizard.step) : null));
  const back = BACK[wizard.step];
  const next = NEXT[wizard.step];
  const result = wizard.result ?? wizard.eventsResult;

  if (wizard.step === 'running') {
    return (
      <div className="wizard-footer">
        <span className="wizard-hint">Cancelling leaves the project exactly as it was.</span>
        <button type="button" className="button button-plain" onClick={() => void actions.cancelImport()}>
          Cancel import
        </button>
      </div>
    );
  }
  if (wizard.step === 'result') {
    return (
      <div className="wizard-footer">
        <span className="wizard-hint" />
        {(wizard.cancelled || result?.outcome === 'stopped') &&
          (wizard.result?.problems.some((p) => p.code === 'unknown_enum_value') ? (
            <button type="button" className="button button-plain" onClick={() => void actions.goToImportStep('columns')}>
              Back to the columns
            </button>
          ) : (
            <button type="button" className="button button-plain" onClick={() => void actions.goToImportStep('options')}>
              Back to the options
            </button>
          ))}
        {result && result.problemCount > 0 && (
          <button type="button" className="button button-plain" onClick={() => void actions.downloadImportReport()}>
            Download error report (CSV)
          </button>
        )}
        <button
          type="button"
          className={wizard.eventsResult?.outcome === 'imported' ? 'button button-primary' : 'button button-plain'}
          data-autofocus={wizard.eventsResult?.outcome === 'imported' ? '' : undefined}
          onClick={() => actions.closeImportWizard()}
        >
          Close
        </button>
        {wizard.result?.database && wizard.result.outcome === 'imported' && (
          <button type="button" className="button button-primary" data-autofocus="" onClick={actions.viewImportedProfiles}>
            View profiles
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="wizard-footer">
      <span className="wizard-hint" role="status">
        {problem}
      </span>
      <button type="button" className="button button-plain" onClick={() => actions.closeImportWizard()}>
        Cancel
      </button>
      {back && (
        <button type="button" className="button button-plain" onClick={() => void actions.goToImportStep(back)}>
          Back
        </button>
      )}
      {next ? (
        <button
          type="button"
          className="button button-primary"
          disabled={problem !== null || wizard.previewLoading}
          onClick={() => void actions.goToImportStep(next)}
        >
          Next
        </button>
      ) : (
        <button type="button" className="button button-primary" disabled={problem !== null} onClick={() => void actions.runImport()}>
          Import{wizard.preview?.wholeFileSampled ? ` ${countOf(wizard.preview.sampledRows, 'row')}` : ''}
        </button>
      )}
    </div>
  );
}
