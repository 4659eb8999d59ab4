import { useState } from 'react';
import type { MembershipChange } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { useActions } from '../../store/react';
import { NOT_FOUND_ON_SCREEN, notFoundHead } from '../../store/segments/not-found';

type Verb = 'created' | 'added' | 'removed';

const CHANGED_LABELS: Readonly<Record<Verb, readonly [string, string]>> = {
  created: ['Added', 'Already members'],
  added: ['Added', 'Already members'],
  removed: ['Removed', 'Not members'],
};

/** What a list of IDs did to a segment: the counts, and the IDs the database does not have, to copy or save. */
export function MembershipResult({ verb, change }: { verb: Verb; change: MembershipChange }) {
  const [changed, unchanged] = CHANGED_LABELS[verb];
  return (
    <div className="membership-result" role="status" data-testid="membership-result">
      <dl className="result-counts">
        <div>
          <dt>{changed}</dt>
          <dd>{formatCount(change.changed)}</dd>
        </div>
        {verb !== 'created' && (
          <div>
            <dt>{unchanged}</dt>
            <dd>{formatCount(change.unchanged)}</dd>
          </div>
        )}
        <div>
          <dt>Not found</dt>
          <dd className={change.notFoundCount > 0 ? 'cell-warning' : undefined}>{formatCount(change.notFoundCount)}</dd>
        </div>
      </dl>
      {change.notFoundCount > 0 && <NotFoundList change={change} />}
    </div>
  );
}

function NotFoundList({ change }: { change: MembershipChange }) {
  const { downloadNotFoundIds } = useActions();
  const [copied, setCopied] = useState<string | null>(null);
  const { ids, more } = notFoundHead(change, NOT_FOUND_ON_SCREEN);
  const listed = change.notFound.length;
  const all = listed === change.notFoundCount;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(change.notFound.join('\n'));
      setCopied(`Copied ${all ? 'the' : 'the first'} ${formatCount(listed)} IDs.`);
    } catch {
      setCopied('The clipboard is not available here: save them as a file instead.');
    }
  };
  return (
    <div className="not-found">
      <p className="not-found-list" data-testid="not-found-ids">
        Not in the database:{' '}
        {ids.map((id, i) => (
          <span key={`${i}:${id}`}>
            {i > 0 && ', '}
            <span className="cell-id">{id}</span>
          </span>
        ))}
        {more > 0 && ` and ${formatCount(more)} more`}
      </p>
      <div className="inline-actions">
        <button type="button" className="button button-plain button-small" onClick={() => void copy()}>
          {all ? 'Copy the IDs' : `Copy the first ${formatCount(listed)}`}
        </button>
        <button type="button" className="button button-plain button-small" onClick={() => downloadNotFoundIds(change)}>
          {all ? 'Save as a text file' : `Save the first ${formatCount(listed)} as a text file`}
        </button>
        {copied && <span className="field-hint">{copied}</span>}
      </div>
    </div>
  );
}
