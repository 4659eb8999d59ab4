/** A row of ticks named as a group: subscription statuses, a list field's values, weekdays. */
export function CheckList<T extends string>({
  label,
  options,
  checked,
  onChange,
  lead,
}: {
  readonly label: string;
  readonly options: readonly { readonly value: T; readonly label: string }[];
  readonly checked: readonly T[];
  readonly onChange: (next: T[]) => void;
  /** Words before the ticks ("is one of", "On"). */
  readonly lead?: string;
}) {
  return (
    <span className="condition-checks" role="group" aria-label={label}>
      {lead && <span>{lead}</span>}
      {options.map((o) => (
        <label key={o.value} className="condition-check">
          <input
            type="checkbox"
            checked={checked.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...checked, o.value] : checked.filter((x) => x !== o.value))}
          />
          {o.label}
        </label>
      ))}
    </span>
  );
}
