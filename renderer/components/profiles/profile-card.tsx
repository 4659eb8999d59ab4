import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Field } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS } from '../../../shared/domain/profiles';
import { formatFieldValue, rawFieldValue, subscriptionLabel } from '../../lib/format-value';
import { selectDatabaseDetail } from '../../store/databases/selectors';
import type { ProfileCardState } from '../../store/profiles/slice';
import { useActions, useApp } from '../../store/react';
import { formatInstant } from '../../store/start/selectors';

/** Every field of one profile, typed, and the imports that added and last updated it. */
export function ProfileCardPanel({ card, fields }: { card: ProfileCardState; fields: readonly Field[] }) {
  const { closeProfileCard } = useActions();
  const detail = useApp(selectDatabaseDetail(card.databaseId));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const importName = (id: number | null) => {
    if (id === null) return null;
    const found = detail?.imports.find((i) => i.id === id);
    return found ? `${found.fileName}, ${formatInstant(found.importedAt)}` : `Import ${id}`;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      closeProfileCard();
    }
  };
  useEffect(() => {
    headingRef.current?.scrollIntoView({ block: 'nearest' });
  }, [card.profileId]);

  const data = card.card;
  const added = importName(data?.addedByImport ?? null);
  const updated = importName(data?.updatedByImport ?? null);
  return (
    <aside className="profile-card" aria-labelledby="profile-card-title" aria-busy={card.loading} onKeyDown={onKeyDown}>
      <header className="profile-card-header">
        <h3 id="profile-card-title" ref={headingRef} className="profile-card-title">
          Profile <span className="cell-id">{card.profileId}</span>
        </h3>
        <button type="button" className="icon-button" aria-label="Close the profile card" onClick={closeProfileCard}>
          ×
        </button>
      </header>
      {card.error && (
        <p className="field-error" role="alert">
          {card.error}
        </p>
      )}
      {data && (
        <>
          <dl className="card-facts">
            <dt>Profile ID</dt>
            <dd className="cell-id">{data.profileId}</dd>
            <dt>Subscription</dt>
            <dd>
              <span className={`status-chip status-chip-${data.subscription}`}>{subscriptionLabel(data.subscription)}</span>
            </dd>
            {fields.map((field) => {
              const value = data.values.find((v) => v.fieldId === field.id)?.value ?? null;
              const text = formatFieldValue(field.type, value);
              const raw = rawFieldValue(value);
              return (
                <FieldFact key={field.id} field={field} text={text} raw={raw} />
              );
            })}
          </dl>
          <dl className="card-facts card-origin">
            <dt>Added by</dt>
            <dd>{added ?? <span className="cell-muted">Not by an import</span>}</dd>
            {updated && updated !== added && (
              <>
                <dt>Last updated by</dt>
                <dd>{updated}</dd>
              </>
            )}
          </dl>
        </>
      )}
      {!data && card.loading && <p className="empty-note">Loading…</p>}
    </aside>
  );
}

function FieldFact({ field, text, raw }: { field: Field; text: string; raw: string }) {
  return (
    <>
      <dt title={FIELD_TYPE_LABELS[field.type]}>{field.name}</dt>
      <dd className={field.type === 'number' ? 'numeric-value' : undefined} title={raw !== text ? raw : undefined}>
        {text === '' ? <span className="cell-muted">No value</span> : text}
      </dd>
    </>
  );
}
