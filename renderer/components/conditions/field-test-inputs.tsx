import type { FieldOp, TimeUnit } from '../../../shared/contract/conditions';
import type { Field } from '../../../shared/contract/index';
import type { FieldType } from '../../../shared/domain/profiles';
import type { LeafDraft } from '../../store/conditions/draft';
import { CheckList } from './check-list';

/** The words of each test, by field type (numbers read as signs; dates as before / after). */
export function testLabel(op: FieldOp, type: FieldType | null): string {
  const dated = type === 'date' || type === 'datetime';
  switch (op) {
    case 'eq':
      return type === 'number' ? '=' : dated ? 'is on' : 'is';
    case 'ne':
      return type === 'number' ? '≠' : 'is not';
    case 'contains':
      return 'contains';
    case 'startsWith':
      return 'starts with';
    case 'oneOf':
      return 'is one of';
    case 'empty':
      return 'is empty';
    case 'notEmpty':
      return 'is not empty';
    case 'lt':
      return '<';
    case 'le':
      return '≤';
    case 'gt':
      return '>';
    case 'ge':
      return '≥';
    case 'between':
      return 'is between';
    case 'before':
      return 'is before';
    case 'after':
      return 'is after';
    case 'inLast':
      return 'is in the last';
    case 'inNext':
      return 'is in the next';
    case 'ageBetween':
      return 'age in years between';
    case 'birthdayWithin':
      return 'birthday within';
  }
}

export const UNIT_LABELS: Readonly<Record<TimeUnit, string>> = { days: 'days', weeks: 'weeks', months: 'months' };

/** The time units as a menu, for "in the last N …" of fields and events. */
export function UnitSelect({ value, label, onChange }: { value: TimeUnit; label: string; onChange: (unit: TimeUnit) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as TimeUnit)}>
      {(Object.keys(UNIT_LABELS) as TimeUnit[]).map((u) => (
        <option key={u} value={u}>
          {UNIT_LABELS[u]}
        </option>
      ))}
    </select>
  );
}

interface InputsProps {
  readonly leaf: LeafDraft;
  readonly field: Field | null;
  /** "Condition 2": prefixes each control's name, so a screen reader and a test tell the leaves apart. */
  readonly name: string;
  readonly onChange: (change: Partial<LeafDraft>) => void;
}

/** The value controls a field's test takes: one value, a list, two bounds, a span of time, or none. */
export function FieldTestInputs({ leaf, field, name, onChange }: InputsProps) {
  const type = field?.type ?? null;
  const dated = type === 'date' || type === 'datetime';
  const inputType = type === 'date' ? 'date' : type === 'datetime' ? 'datetime-local' : 'text';
  const text = (key: 'value' | 'from' | 'to' | 'n', label: string, extra: { inputMode?: 'decimal' | 'numeric'; type?: string; width?: string } = {}) => (
    <input
      type={extra.type ?? 'text'}
      inputMode={extra.inputMode}
      aria-label={`${name}: ${label}`}
      className={`condition-input${extra.width ? ` ${extra.width}` : ''}`}
      value={leaf[key]}
      onChange={(e) => onChange({ [key]: e.target.value })}
    />
  );
  switch (leaf.op) {
    case 'empty':
    case 'notEmpty':
      return null;
    case 'eq':
    case 'ne':
      if (type === 'boolean') {
        return (
          <select aria-label={`${name}: value`} value={leaf.value === 'no' ? 'no' : 'yes'} onChange={(e) => onChange({ value: e.target.value })}>
            <option value="yes">yes</option>
            <option value="no">no</option>
          </select>
        );
      }
      if (type === 'enum' && field) {
        return (
          <select aria-label={`${name}: value`} value={leaf.value} onChange={(e) => onChange({ value: e.target.value })}>
            <option value="">Choose…</option>
            {field.enumValues.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        );
      }
      return text('value', 'value', type === 'number' ? { inputMode: 'decimal', width: 'condition-input-number' } : { type: inputType });
    case 'oneOf':
      if (type === 'enum' && field) {
        return (
          <CheckList label={`${name}: values`} options={field.enumValues.map((v) => ({ value: v, label: v }))} checked={leaf.values} onChange={(values) => onChange({ values })} />
        );
      }
      return text('value', 'values, separated by commas');
    case 'contains':
    case 'startsWith':
      return text('value', 'value');
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return text('value', 'value', { inputMode: 'decimal', width: 'condition-input-number' });
    case 'before':
    case 'after':
      return text('value', 'value', { type: inputType });
    case 'between': {
      const extra = dated ? { type: inputType } : { inputMode: 'decimal' as const, width: 'condition-input-number' };
      return (
        <>
          {text('from', 'from', extra)}
          <span>and</span>
          {text('to', 'to', extra)}
        </>
      );
    }
    case 'ageBetween':
      return (
        <>
          {text('from', 'youngest age', { inputMode: 'numeric', width: 'condition-input-number' })}
          <span>and</span>
          {text('to', 'oldest age', { inputMode: 'numeric', width: 'condition-input-number' })}
          <span>years</span>
        </>
      );
    case 'inLast':
    case 'inNext':
      return (
        <>
          {text('n', 'how many', { inputMode: 'numeric', width: 'condition-input-number' })}
          <UnitSelect label={`${name}: unit`} value={leaf.unit} onChange={(unit) => onChange({ unit })} />
        </>
      );
    case 'birthdayWithin':
      return (
        <>
          {text('n', 'days', { inputMode: 'numeric', width: 'condition-input-number' })}
          <span>days</span>
        </>
      );
  }
}
