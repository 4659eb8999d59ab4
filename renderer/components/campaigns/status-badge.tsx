import type { CampaignStatus } from '../../../shared/domain/campaign-status';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';

/** A campaign's status as a coloured badge; a deleted one says it is in the recycle bin. */
export function StatusBadge({ status, deleted = false }: { status: CampaignStatus; deleted?: boolean }) {
  return (
    <span className={`status-badge status-${deleted ? 'deleted' : status}`} data-testid="campaign-status">
      {deleted ? `${CAMPAIGN_STATUS_LABELS[status]} · in the recycle bin` : CAMPAIGN_STATUS_LABELS[status]}
    </span>
  );
}
