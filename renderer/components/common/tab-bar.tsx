import type { KeyboardEvent, ReactNode } from 'react';

interface TabBarProps<T extends string> {
  readonly idPrefix: string;
  readonly label: string;
  readonly tabs: readonly T[];
  readonly current: T;
  readonly labels: Readonly<Record<T, string>>;
  readonly onSelect: (tab: T) => void;
  /** A count after a tab's name. */
  readonly counts?: Partial<Record<T, ReactNode>>;
}

/** Tabs as ARIA describes them: Left and Right move between them, only the current one is in the Tab order. */
export function TabBar<T extends string>({ idPrefix, label, tabs, current, labels, onSelect, counts }: TabBarProps<T>) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.indexOf(current);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next === undefined) return;
    onSelect(next);
    document.getElementById(`${idPrefix}-tab-${next}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t}
          id={`${idPrefix}-tab-${t}`}
          type="button"
          role="tab"
          className="tab"
          aria-selected={t === current}
          aria-controls={`${idPrefix}-panel-${t}`}
          tabIndex={t === current ? 0 : -1}
          onClick={() => onSelect(t)}
        >
          {labels[t]}
          {counts?.[t] !== undefined && counts[t] !== null ? <span className="tab-count">{counts[t]}</span> : null}
        </button>
      ))}
    </div>
  );
}
