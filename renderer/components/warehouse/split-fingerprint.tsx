import { useEffect, useId } from 'react';
import type { CampaignDetail } from '../../../shared/contract/index';
import { useActions, useApp } from '../../store/react';
import { selectFingerprint, splitSignature } from '../../store/warehouse/selectors';
import { CopyButton } from './copy-button';

export const FINGERPRINT_HELP =
  'A hash of the sorted assignment (each member’s ID, group and stratum). Two colleagues holding the same split see the same fingerprint; any other split gives another.';

/**
 * The campaign's split fingerprint, read after the campaign and again whenever its split is
 * rebuilt, with Copy; its meaning is the tooltip and the accessible description.
 */
export function SplitFingerprint({ detail }: { detail: CampaignDetail | null }) {
  const campaignId = detail?.campaign.id ?? null;
  const signature = detail ? splitSignature(detail) : null;
  const view = useApp((s) => (campaignId === null ? null : selectFingerprint(campaignId)(s)));
  const { loadFingerprint } = useActions();
  const helpId = useId();
  useEffect(() => {
    if (campaignId !== null && signature !== null) void loadFingerprint(campaignId);
  }, [campaignId, signature, loadFingerprint]);

  if (!view) return null;
  return (
    <p className="split-fingerprint" data-testid="split-fingerprint">
      <span className="split-fingerprint-label" title={FINGERPRINT_HELP}>
        Split fingerprint
      </span>{' '}
      {view.error !== null ? (
        <span className="cell-muted">not available: {view.error}</span>
      ) : view.fingerprint === null ? (
        <span className="cell-muted">none yet (the campaign has no split)</span>
      ) : (
        <>
          <code className="fingerprint-value" title={FINGERPRINT_HELP} data-testid="fingerprint-value">
            {view.fingerprint}
          </code>
          <CopyButton text={view.fingerprint} label="Copy" accessibleLabel="Copy the split fingerprint" describedBy={helpId} title={FINGERPRINT_HELP} small />
        </>
      )}
      <span id={helpId} className="visually-hidden">
        {FINGERPRINT_HELP}
      </span>
    </p>
  );
}
