import type { MethodName } from '../../../shared/contract/index';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { InlineProgress } from './inline-progress';

/** A long engine run of `method` in progress, where it was started: its bar and a Cancel of its own. Nothing while none runs. */
export function RunProgress({ method, label }: { method: MethodName; label: string }) {
  const op = useApp(selectOperationOf(method));
  const { cancelOperation } = useActions();
  if (!op) return null;
  return (
    <div className="sim-progress">
      <InlineProgress op={op} />
      <button type="button" className="button button-plain button-small" disabled={op.cancelling} aria-label={`Cancel: ${label}`} onClick={() => void cancelOperation(op.id)}>
        Cancel
      </button>
    </div>
  );
}
