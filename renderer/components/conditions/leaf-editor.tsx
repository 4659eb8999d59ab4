import { useId, useState } from 'react';
import type { Campaign, Field, Segment } from '../../../shared/contract/index';
import { SUBSCRIPTION_LABELS, SUBSCRIPTION_STATUSES } from '../../../shared/domain/profiles';
import { fieldTypeOf, testsFor, type CampaignGroup, type LeafDraft, type LeafKind } from '../../store/conditions/draft';
import { CheckList } from './check-list';
import { FieldTestInputs, testLabel, UnitSelect } from './field-test-inputs';

export const LEAF_KIND_LABELS: Readonly<Record<LeafKind, string>> = {
  field: 'Field',
  subscription: 'Subscription status',
  event: 'Events',
  segment: 'Segment',
  campaign: 'Campaign',
};

const GROUP_LABELS: Readonly<Record<CampaignGroup, string>> = {
  any: 'audience (Test or LCG)',
  test: 'Test group',
  lcg: 'LCG',
  gcg: 'GCG held out of it',
};

/** What a leaf may refer to: the database's fields, event types, segments and campaigns. */
export interface LeafChoices {
  readonly fields: readonly Field[];
  readonly eventTypes: readonly string[];
  readonly segments: readonly Segment[];
  readonly campaigns: readonly Campaign[];
}

interface LeafEditorProps {
  readonly leaf: LeafDraft;
  readonly negated: boolean;
  /** "Condition 2", in reading order: names the leaf's controls. */
  readonly name: string;
  readonly choices: LeafChoices;
  /** What is missing in the leaf: shown once the user has worked on it, not on a leaf just added. */
  readonly problem: string | null;
  /** The engine's refusal of this leaf: always shown. */
  readonly refusal: string | null;
  readonly onChange: (change: Partial<LeafDraft>) => void;
  readonly onNegate: () => void;
  readonly onRemove: () => void;
}

/** One test: NOT, its kind, and the controls of that kind, with what is wrong under it. */
export function LeafEditor({ leaf, negated, name, choices, problem: missing, refusal, onChange, onNegate, onRemove }: LeafEditorProps) {
  const problemId = useId();
  // A leaf just added has no value yet: that is not a mistake until the user has been in it.
  const [touched, setTouched] = useState(false);
  const problem = refusal ?? (touched ? missing : null);
  return (
    <div
      className={`condition-leaf${problem ? ' condition-leaf-problem' : ''}`}
      role="group"
      aria-label={name}
      aria-describedby={problem ? problemId : undefined}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setTouched(true);
      }}
    >
      <div className="condition-row">
        <label className="condition-check condition-not">
          <input type="checkbox" checked={negated} onChange={onNegate} />
          Not
        </label>
        <select aria-label={`${name}: kind`} value={leaf.kind} onChange={(e) => onChange({ kind: e.target.value as LeafKind })}>
          {(Object.keys(LEAF_KIND_LABELS) as LeafKind[]).map((k) => (
            <option key={k} value={k}>
              {LEAF_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <LeafControls
          leaf={leaf}
          name={name}
          choices={choices}
          onChange={(change) => {
            setTouched(true);
            onChange(change);
          }}
        />
        <button type="button" className="icon-button condition-remove" aria-label={`Remove ${name.toLowerCase()}`} title="Remove" onClick={onRemove}>
          ×
        </button>
      </div>
      {problem && (
        <p id={problemId} className="field-error condition-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

function LeafControls({ leaf, name, choices, onChange }: { leaf: LeafDraft; name: string; choices: LeafChoices; onChange: (change: Partial<LeafDraft>) => void }) {
  const listId = useId();
  switch (leaf.kind) {
    case 'field': {
      const type = fieldTypeOf(choices.fields, leaf.field);
      const field = choices.fields.find((f) => f.name.toLowerCase() === leaf.field.toLowerCase()) ?? null;
      const known = field !== null;
      return (
        <>
          <select aria-label={`${name}: field`} value={field?.name ?? leaf.field} onChange={(e) => onChange({ field: e.target.value })}>
            {leaf.field === '' && <option value="">Choose a field…</option>}
            {!known && leaf.field !== '' && <option value={leaf.field}>{leaf.field} (not in the database)</option>}
            {choices.fields.map((f) => (
              <option key={f.id} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
          <select aria-label={`${name}: test`} value={leaf.op} onChange={(e) => onChange({ op: e.target.value as LeafDraft['op'] })}>
            {/* A test read from the text that the field does not take stays what it is, marked, rather than showing as the menu's first test. */}
            {type && !testsFor(type).includes(leaf.op) && <option value={leaf.op}>{testLabel(leaf.op, null)} (not for this field)</option>}
            {(type ? testsFor(type) : [leaf.op]).map((op) => (
              <option key={op} value={op}>
                {testLabel(op, type)}
              </option>
            ))}
          </select>
          <FieldTestInputs leaf={leaf} field={field} name={name} onChange={onChange} />
        </>
      );
    }
    case 'subscription':
      return (
        <CheckList
          label={`${name}: statuses`}
          lead="is one of"
          options={SUBSCRIPTION_STATUSES.map((v) => ({ value: v, label: SUBSCRIPTION_LABELS[v] }))}
          checked={leaf.statuses}
          onChange={(statuses) => onChange({ statuses })}
        />
      );
    case 'event':
      return (
        <>
          <select aria-label={`${name}: has or has not`} value={leaf.has ? 'has' : 'hasNot'} onChange={(e) => onChange({ has: e.target.value === 'has' })}>
            <option value="has">has</option>
            <option value="hasNot">has no</option>
          </select>
          <input
            className="condition-input"
            aria-label={`${name}: event type`}
            list={listId}
            placeholder="purchase"
            value={leaf.eventType}
            onChange={(e) => onChange({ eventType: e.target.value })}
          />
          <datalist id={listId}>
            {choices.eventTypes.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <span>at least</span>
          <input className="condition-input condition-input-number" inputMode="numeric" aria-label={`${name}: at least how many times`} value={leaf.atLeast} onChange={(e) => onChange({ atLeast: e.target.value })} />
          <span>times</span>
          <select aria-label={`${name}: amount`} value={leaf.amountAgg} onChange={(e) => onChange({ amountAgg: e.target.value as LeafDraft['amountAgg'] })}>
            <option value="none">any amount</option>
            <option value="sum">amounts adding up to at least</option>
            <option value="max">an amount of at least</option>
          </select>
          {leaf.amountAgg !== 'none' && (
            <input className="condition-input condition-input-number" inputMode="decimal" aria-label={`${name}: amount at least`} value={leaf.amount} onChange={(e) => onChange({ amount: e.target.value })} />
          )}
          <select aria-label={`${name}: when`} value={leaf.window} onChange={(e) => onChange({ window: e.target.value as LeafDraft['window'] })}>
            <option value="last">in the last</option>
            <option value="between">between</option>
            <option value="ever">ever</option>
          </select>
          {leaf.window === 'last' && (
            <>
              <input className="condition-input condition-input-number" inputMode="numeric" aria-label={`${name}: how many`} value={leaf.n} onChange={(e) => onChange({ n: e.target.value })} />
              <UnitSelect label={`${name}: unit`} value={leaf.unit} onChange={(unit) => onChange({ unit })} />
            </>
          )}
          {leaf.window === 'between' && (
            <>
              <input type="date" className="condition-input" aria-label={`${name}: from`} value={leaf.from} onChange={(e) => onChange({ from: e.target.value })} />
              <span>and</span>
              <input type="date" className="condition-input" aria-label={`${name}: to`} value={leaf.to} onChange={(e) => onChange({ to: e.target.value })} />
            </>
          )}
        </>
      );
    case 'segment':
    case 'campaign': {
      const options = leaf.kind === 'segment' ? choices.segments : choices.campaigns;
      const current = refName(leaf.ref, options);
      return (
        <>
          <select aria-label={`${name}: in or not in`} value={leaf.member ? 'in' : 'out'} onChange={(e) => onChange({ member: e.target.value === 'in' })}>
            <option value="in">in</option>
            <option value="out">not in</option>
          </select>
          <select aria-label={`${name}: ${leaf.kind}`} value={current} onChange={(e) => onChange({ ref: e.target.value })}>
            <option value="">{options.length === 0 ? `The database has no ${leaf.kind}s` : `Choose a ${leaf.kind}…`}</option>
            {current !== '' && !options.some((o) => o.name === current) && <option value={current}>{current} (not found)</option>}
            {options.map((o) => (
              <option key={o.id} value={o.name}>
                {o.name}
              </option>
            ))}
          </select>
          {leaf.kind === 'campaign' && (
            <select aria-label={`${name}: group`} value={leaf.group} onChange={(e) => onChange({ group: e.target.value as CampaignGroup })}>
              {(Object.keys(GROUP_LABELS) as CampaignGroup[]).map((g) => (
                <option key={g} value={g}>
                  {GROUP_LABELS[g]}
                </option>
              ))}
            </select>
          )}
        </>
      );
    }
  }
}

/** A reference as the menu shows it: "#12" becomes that segment's or campaign's name when there is one. */
function refName(ref: string, options: readonly { id: number; name: string }[]): string {
  const byId = /^#(\d+)$/.exec(ref);
  if (byId) return options.find((o) => o.id === Number(byId[1]))?.name ?? ref;
  return options.find((o) => o.name.toLowerCase() === ref.toLowerCase())?.name ?? ref;
}
