import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Field, ProfileSearch } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS } from '../../../shared/domain/profiles';
import { useActions } from '../../store/react';

/** How long typing may pause before the search runs: quick enough to feel live, slow enough not to search every letter. */
const DEBOUNCE_MS = 300;

type Scope = ProfileSearch['in'];
const scopeValue = (scope: Scope): string => String(scope);
const scopeOf = (value: string): Scope => (value === 'profileId' || value === 'any' ? value : Number(value));

interface ProfileSearchBoxProps {
  readonly fields: readonly Field[];
  readonly search: ProfileSearch | null;
  /** The engine refused the search ("abc" is not a number, say). */
  readonly error: string | null;
}

/** Search by profile ID, in every text field, or in one field; runs as the user types. */
export function ProfileSearchBox({ fields, search, error }: ProfileSearchBoxProps) {
  const { searchProfiles } = useActions();
  const [text, setText] = useState(search?.text ?? '');
  const [scope, setScope] = useState<Scope>(search?.in ?? 'profileId');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const errorId = useId();

  const run = (nextText: string, nextScope: Scope) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    searchProfiles(nextText.trim() === '' ? null : { text: nextText, in: nextScope });
  };
  const schedule = (nextText: string, nextScope: Scope) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => run(nextText, nextScope), DEBOUNCE_MS);
  };
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  // A field chosen as the scope may be removed meanwhile.
  useEffect(() => {
    if (typeof scope === 'number' && !fields.some((f) => f.id === scope)) setScope('profileId');
  }, [fields, scope]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      run(text, scope);
    } else if (event.key === 'Escape' && text !== '') {
      event.preventDefault();
      setText('');
      run('', scope);
    }
  };

  return (
    <div className="profile-search" role="search">
      <label className="field field-inline">
        <span className="field-label">Search</span>
        <input
          type="search"
          value={text}
          placeholder={scope === 'profileId' ? 'Profile ID starts with…' : 'Value contains…'}
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            setText(e.target.value);
            schedule(e.target.value, scope);
          }}
          onKeyDown={onKeyDown}
        />
      </label>
      <label className="field field-inline">
        <span className="field-label">in</span>
        <select
          aria-label="Search in"
          value={scopeValue(scope)}
          onChange={(e) => {
            const next = scopeOf(e.target.value);
            setScope(next);
            if (text.trim() !== '') run(text, next);
          }}
        >
          <option value="profileId">Profile ID</option>
          <option value="any">Any text field</option>
          {fields.length > 0 && (
            <optgroup label="Field">
              {fields.map((f) => (
                <option key={f.id} value={String(f.id)}>
                  {f.name} — {FIELD_TYPE_LABELS[f.type].toLowerCase()}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      {error && (
        <span id={errorId} className="field-error profile-search-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
