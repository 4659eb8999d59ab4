import { useCallback, useEffect, useRef } from 'react';
import type { Field } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS } from '../../../shared/domain/profiles';
import { formatFieldValue, rawFieldValue, subscriptionLabel } from '../../lib/format-value';
import { selectDatabaseDetail } from '../../store/databases/selectors';
import type { ProfileCardState } from '../../store/profiles/slice';
import { useActions, useApp } from '../../store/react';
import { formatInstant } from '../../store/start/selectors';
import { ProfileEvents, ProfileInteractionsView } from './profile-card-activity';

interface ProfileCardPanelProps {
  readonly card: ProfileCardState;
  readonly fields: readonly Field[];
  /** Where the keyboard goes when the card closes while it has the focus (the table). */
  readonly returnFocus: () => void;
}

/**
 * Every field of one profile, typed, the imports that added and last updated it, its events
 * (newest first) and its interactions (segments, and campaigns with its group).
 * Escape closes it wherever the focus is on the page (a dialog above it takes its own
 * Escape first: it stops the key), and the focus goes back to the table.
 */
export function ProfileCardPanel({ card, fields, returnFocus }: ProfileCardPanelProps) {
  const { closeProfileCard } = useActions();
  const detail = useApp(selectDatabaseDetail(card.databaseId));
  const panelRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const importName = (id: number | null) => {
    if (id === null) return null;
    const found = detail?.imports.find((i) => i.id === id);
    return found ? `${found.fileName}, ${formatInstant(found.importedAt)}` : `Import ${id}`;
  };
  const close = useCallback(() => {
    const hadFocus = panelRef.current?.contains(document.activeElement) ?? false;
    closeProfileCard();
    if (hadFocus) returnFocus();
  }, [closeProfileCard, returnFocus]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      close();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [close]);
  useEffect(() => {
    headingRef.current?.scrollIntoView({ block: 'nearest' });
  }, [card.profileId]);

  const data = card.card;
  const added = importName(data?.addedByImport ?? null);
  const updated = importName(data?.updatedByImport ?? null);
  return (
    <aside ref={panelRef} className="profile-card" aria-labelledby="profile-card-title" aria-busy={card.loading}>
      <header className="profile-card-header">
        <h3 id="profile-card-title" ref={headingRef} className="profile-card-title">
          Profile <span className="cell-id">{card.profileId}</span>
        </h3>
        <button type="button" className="icon-button" aria-label="Close the profile card" onClick={close}>
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
          {card.events && <ProfileEvents events={card.events} />}
          {card.interactions && <ProfileInteractionsView interactions={card.interactions} />}
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
