/**
 * Who an activity run left out, in words: one sentence for the run's event, the CLI and the
 * app's recipients view, so all three say the same.
 */
import type { LeftOut } from '../contract/activities';
import { formatCount } from '../format';

export const LEFT_OUT_LABELS: Readonly<Record<keyof LeftOut, string>> = {
  gcg: 'in the global control group',
  outsideSegment: "outside the activity's segment",
  lcg: 'in the LCG',
  unsubscribed: 'unsubscribed',
  bounced: 'bounced',
  unconfirmed: 'unconfirmed',
};

/** "1,000 in the LCG, 40 unsubscribed, 3 bounced"; empty when nobody was left out. */
export function leftOutText(left: LeftOut): string {
  return (Object.keys(LEFT_OUT_LABELS) as (keyof LeftOut)[])
    .filter((k) => left[k] > 0)
    .map((k) => `${formatCount(left[k])} ${LEFT_OUT_LABELS[k]}`)
    .join(', ');
}
