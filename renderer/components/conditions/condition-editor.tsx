import { useId, useMemo, useRef } from 'react';
import { formatClock, formatCount } from '../../../shared/format';
import { selectCampaigns } from '../../store/campaigns/selectors';
import { addGroup, addLeaf, buildCondition, removeNode, setGroupOp, toggleNegated, updateLeaf, type DraftGroup, type DraftNode, type LeafDraft } from '../../store/conditions/draft';
import { refusedNode, type ConditionEditorState, type ConditionMode } from '../../store/conditions/slice';
import { selectFieldsOf } from '../../store/databases/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { selectSegmentsOf } from '../../store/segments/selectors';
import { caretExcerpt, countOf } from '../../lib/text';
import { printCondition } from '../../../shared/conditions/print';
import { LeafEditor, type LeafChoices } from './leaf-editor';

const MODE_LABELS: Readonly<Record<ConditionMode, string>> = { build: 'Build', text: 'Text' };

/**
 * The condition of a segment: a tree of AND / OR groups and tests built with controls, or
 * the same condition typed in the condition language; the number of matching profiles
 * follows every change (segment/preview, on the project clock).
 */
export function ConditionEditor() {
  const editor = useApp((s) => s.conditionEditor);
  if (!editor) return null;
  return <Editor editor={editor} />;
}

function Editor({ editor }: { editor: ConditionEditorState }) {
  const { setConditionMode } = useActions();
  const fields = useApp(selectFieldsOf(editor.databaseId));
  const segments = useAppShallow(selectSegmentsOf(editor.databaseId));
  const allCampaigns = useApp(selectCampaigns);
  const campaigns = useMemo(() => allCampaigns.filter((c) => c.databaseId === editor.databaseId && !c.deleted), [allCampaigns, editor.databaseId]);
  const choices: LeafChoices = { fields, eventTypes: editor.eventTypes, segments, campaigns };
  const built = useMemo(() => buildCondition(editor.root, fields), [editor.root, fields]);
  const errorNode = refusedNode(editor, built);
  const baseId = useId();

  // Leaves and groups are numbered in reading order, so each control has a name of its own.
  const numbers = new Map<string, number>();
  const number = (node: DraftNode) => {
    numbers.set(node.id, numbers.size + 1);
    if (node.type === 'group') node.items.forEach(number);
  };
  if (editor.root.type === 'group') editor.root.items.forEach(number);

  return (
    <section className="condition-editor" aria-label="Condition">
      <div className="condition-head">
        <div className="condition-mode" role="radiogroup" aria-label="Edit the condition as">
          {(Object.keys(MODE_LABELS) as ConditionMode[]).map((m) => (
            <label key={m} className={`condition-mode-option${editor.mode === m ? ' condition-mode-on' : ''}`}>
              <input type="radio" name={`${baseId}-mode`} checked={editor.mode === m} onChange={() => setConditionMode(m)} />
              {MODE_LABELS[m]}
            </label>
          ))}
        </div>
        <ConditionCount editor={editor} />
      </div>
      {editor.modeProblem && (
        <p className="field-error" role="alert">
          {editor.modeProblem}
        </p>
      )}
      {editor.mode === 'build' ? (
        <>
          <div className="condition-tree">
            {editor.root.type === 'group' && (
              <GroupEditor group={editor.root} root numbers={numbers} choices={choices} problems={built.problems} errorNode={errorNode} errorText={editor.count.error} />
            )}
          </div>
          <p className="condition-text-line">
            <span className="field-label">As text</span>{' '}
            <code data-testid="condition-text">{built.condition ? printCondition(built.condition) : '—'}</code>
          </p>
        </>
      ) : (
        <ConditionText editor={editor} />
      )}
      {editor.count.status === 'error' && errorNode === null && (
        <p className="field-error" role="alert" data-testid="condition-count-error">
          {editor.count.error}
        </p>
      )}
    </section>
  );
}

function ConditionCount({ editor }: { editor: ConditionEditorState }) {
  const { count } = editor;
  let text: string;
  if (count.status === 'done' && count.total !== null) text = `${countOf(count.total, 'profile')} match`;
  else if (count.status === 'counting') text = count.total === null ? 'Counting…' : `Counting… (was ${formatCount(count.total)})`;
  else if (count.status === 'error') text = 'Cannot count: see the problem below';
  else text = 'Finish the condition to see how many profiles match';
  return (
    <p className="condition-count" aria-live="polite" data-testid="condition-count" data-status={count.status}>
      <strong>{text}</strong>
      {count.status === 'done' && count.clock && <span className="cell-muted"> on the project clock, {formatClock(count.clock)}</span>}
    </p>
  );
}

function ConditionText({ editor }: { editor: ConditionEditorState }) {
  const { setConditionText } = useActions();
  const errorId = useId();
  const error = editor.textError;
  return (
    <div className="field condition-text-mode">
      <label className="field-label" htmlFor={`${errorId}-text`}>
        Condition as text
      </label>
      <textarea
        id={`${errorId}-text`}
        rows={4}
        spellCheck={false}
        value={editor.text}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        placeholder={'city is "Berlin" and event purchase count >= 2 in last 30 days'}
        onChange={(e) => setConditionText(e.target.value)}
      />
      {error ? (
        <div id={errorId} className="field-error condition-syntax-error" data-testid="condition-syntax-error">
          <span>
            {error.message} (line {error.line}, column {error.column})
          </span>
          <pre aria-hidden="true">{caretExcerpt(error.excerpt.split('\n')[0] ?? '', error.column)}</pre>
        </div>
      ) : (
        <span className="field-hint">The condition language is described in the README, under “Conditions”.</span>
      )}
    </div>
  );
}

interface GroupProps {
  readonly group: DraftGroup;
  readonly root?: boolean;
  readonly numbers: ReadonlyMap<string, number>;
  readonly choices: LeafChoices;
  readonly problems: ReadonlyMap<string, string>;
  readonly errorNode: string | null;
  readonly errorText: string | null;
  /** Called once this group is removed: the focus goes to its parent's "Add condition". */
  readonly onRemoved?: () => void;
}

function GroupEditor({ group, root = false, numbers, choices, problems, errorNode, errorText, onRemoved }: GroupProps) {
  const { changeConditionTree } = useActions();
  const edit = (fn: (r: DraftNode) => DraftNode) => changeConditionTree(fn);
  // A removed item takes the focused button with it: the focus moves to this group's "Add condition".
  const addButton = useRef<HTMLButtonElement>(null);
  const focusAdd = () => addButton.current?.focus();
  const name = root ? 'Whole condition' : `Group ${numbers.get(group.id) ?? ''}`;
  const problem = problems.get(group.id) ?? (errorNode === group.id ? errorText : null);
  return (
    <div className={root ? 'condition-group condition-root' : 'condition-group'} role="group" aria-label={name}>
      <div className="condition-row condition-group-head">
        {!root && (
          <label className="condition-check condition-not">
            <input type="checkbox" checked={group.negated} onChange={() => edit((r) => toggleNegated(r, group.id))} />
            Not
          </label>
        )}
        <span>Profiles matching</span>
        <select aria-label={`${name}: match`} value={group.op} onChange={(e) => edit((r) => setGroupOp(r, group.id, e.target.value as 'and' | 'or'))}>
          <option value="and">all (AND)</option>
          <option value="or">any (OR)</option>
        </select>
        <span>of these:</span>
        {!root && (
          <button type="button" className="icon-button condition-remove" aria-label={`Remove ${name.toLowerCase()}`} title="Remove" onClick={() => {
              edit((r) => removeNode(r, group.id));
              onRemoved?.();
            }}
          >
            ×
          </button>
        )}
      </div>
      {group.items.length > 0 && (
        <ul className="condition-items">
          {group.items.map((item) => (
            <li key={item.id}>
              {item.type === 'group' ? (
                <GroupEditor group={item} numbers={numbers} choices={choices} problems={problems} errorNode={errorNode} errorText={errorText} onRemoved={focusAdd} />
              ) : (
                <LeafEditor
                  leaf={item.leaf}
                  negated={item.negated}
                  name={`Condition ${numbers.get(item.id) ?? ''}`}
                  choices={choices}
                  problem={problems.get(item.id) ?? null}
                  refusal={errorNode === item.id ? errorText : null}
                  onChange={(change: Partial<LeafDraft>) => edit((r) => updateLeaf(r, item.id, change, choices.fields))}
                  onNegate={() => edit((r) => toggleNegated(r, item.id))}
                  onRemove={() => {
                    edit((r) => removeNode(r, item.id));
                    focusAdd();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {problem && <p className="field-error condition-problem">{problem}</p>}
      <div className="condition-add">
        <button ref={addButton} type="button" className="button button-plain button-small" onClick={() => edit((r) => addLeaf(r, group.id, choices.fields))}>
          Add condition{root ? '' : ` to ${name.toLowerCase()}`}
        </button>
        <button type="button" className="button button-plain button-small" onClick={() => edit((r) => addGroup(r, group.id, choices.fields))}>
          Add group{root ? '' : ` to ${name.toLowerCase()}`}
        </button>
      </div>
    </div>
  );
}
