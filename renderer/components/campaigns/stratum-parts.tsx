import type { Field } from '../../../shared/contract/index';
import { splitLines, type GroupDraft, type IntervalDraft } from '../../store/campaigns/lcg-draft';

/** Replaces (or with null removes) the item at `index`. */
const replaced = <T,>(items: readonly T[], index: number, next: T | null): T[] => items.flatMap((item, i) => (i === index ? (next ? [next] : []) : [item]));

/** Values of an enum field to tick (those taken elsewhere are disabled), kept in the field's order, one per line. */
function EnumValuePicker({ field, label, text, taken, onChange }: { field: Field; label: string; text: string; taken: readonly string[]; onChange: (text: string) => void }) {
  const chosen = splitLines(text);
  const toggle = (value: string) => {
    const next = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
    onChange(field.enumValues.filter((v) => next.includes(v)).join('\n'));
  };
  return (
    <div className="enum-picker" role="group" aria-label={label}>
      {field.enumValues.map((v) => (
        <label key={v} className={taken.includes(v) ? 'checkbox taken' : 'checkbox'}>
          <input type="checkbox" checked={chosen.includes(v)} disabled={taken.includes(v)} onChange={() => toggle(v)} />
          {v}
        </label>
      ))}
    </div>
  );
}

/** A chosen subset of values: each a stratum, the rest "Other". */
export function ChosenValues({ field, text, onChange }: { field: Field; text: string; onChange: (text: string) => void }) {
  return (
    <div className="stratum-groups">
      {field.enumValues.length > 0 ? (
        <EnumValuePicker field={field} label={`Chosen values of ${field.name}`} text={text} taken={[]} onChange={onChange} />
      ) : (
        <textarea aria-label={`Chosen values of ${field.name}, one per line`} rows={3} value={text} placeholder={'Moscow\nKazan'} onChange={(e) => onChange(e.target.value)} />
      )}
      <span className="field-hint">Each chosen value is a stratum; profiles with other values form “Other”, without a value “(no value)”.</span>
    </div>
  );
}

/** Groups of values under names: the values in no group form "Other". */
export function GroupsEditor({ field, groups, onChange }: { field: Field; groups: readonly GroupDraft[]; onChange: (groups: GroupDraft[]) => void }) {
  const setGroup = (index: number, next: GroupDraft | null) => onChange(replaced(groups, index, next));
  return (
    <div className="stratum-groups">
      {groups.map((g, i) => (
        <div key={i} className="stratum-group">
          <input type="text" aria-label={`Label of group ${i + 1}`} value={g.label} placeholder={`Group ${i + 1}`} onChange={(e) => setGroup(i, { ...g, label: e.target.value })} />
          {field.type === 'enum' ? (
            <EnumValuePicker
              field={field}
              label={`Values of ${g.label || 'the group'}`}
              text={g.valuesText}
              taken={groups.filter((_, j) => j !== i).flatMap((o) => splitLines(o.valuesText))}
              onChange={(valuesText) => setGroup(i, { ...g, valuesText })}
            />
          ) : (
            <textarea
              aria-label={`Values of group ${i + 1}, one per line`}
              rows={2}
              value={g.valuesText}
              placeholder={'Moscow\nSaint Petersburg'}
              onChange={(e) => setGroup(i, { ...g, valuesText: e.target.value })}
            />
          )}
          <button type="button" className="icon-button" aria-label={`Remove group ${i + 1}`} onClick={() => setGroup(i, null)}>
            ×
          </button>
        </div>
      ))}
      <div className="inline-actions">
        <button type="button" className="button button-plain button-small" onClick={() => onChange([...groups, { label: '', valuesText: '' }])}>
          Add a group
        </button>
        <span className="field-hint">Values in no group form “Other”; profiles without a value, “(no value)”.</span>
      </div>
    </div>
  );
}

/** Named intervals [from, to] of numbers or dates, gaps allowed: values in none form "Other". */
export function IntervalsEditor({ field, intervals, onChange }: { field: Field; intervals: readonly IntervalDraft[]; onChange: (intervals: IntervalDraft[]) => void }) {
  const dates = field.type === 'date' || field.type === 'datetime';
  const setInterval = (index: number, next: IntervalDraft | null) => onChange(replaced(intervals, index, next));
  return (
    <div className="stratum-groups">
      {intervals.length > 0 && (
        // Captions for sight: once typed into, the fields lose their placeholders (each has its own accessible name).
        <div className="stratum-interval stratum-interval-head" aria-hidden="true">
          <span>Name</span>
          <span>From</span>
          <span>To</span>
        </div>
      )}
      {intervals.map((v, i) => (
        <div key={i} className="stratum-interval">
          <input type="text" aria-label={`Name of interval ${i + 1}`} value={v.label} placeholder={`Interval ${i + 1}`} onChange={(e) => setInterval(i, { ...v, label: e.target.value })} />
          <input
            type="text"
            aria-label={`Interval ${i + 1} from`}
            value={v.fromText}
            spellCheck={false}
            placeholder={dates ? '01.01.2000' : '18'}
            onChange={(e) => setInterval(i, { ...v, fromText: e.target.value })}
          />
          <input
            type="text"
            aria-label={`Interval ${i + 1} to`}
            value={v.toText}
            spellCheck={false}
            placeholder={dates ? '31.12.2004' : '25'}
            onChange={(e) => setInterval(i, { ...v, toText: e.target.value })}
          />
          <button type="button" className="icon-button" aria-label={`Remove interval ${i + 1}`} onClick={() => setInterval(i, null)}>
            ×
          </button>
        </div>
      ))}
      <div className="inline-actions">
        <button type="button" className="button button-plain button-small" onClick={() => onChange([...intervals, { label: '', fromText: '', toText: '' }])}>
          Add an interval
        </button>
        <span className="field-hint">From and to are included{dates ? ' (dates as 2024-12-31 or 31.12.2024)' : ''}; values in no interval form “Other”.</span>
      </div>
    </div>
  );
}
