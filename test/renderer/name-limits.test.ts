/**
 * One limit per name, from the contract: each form's check accepts exactly what the
 * engine's schema accepts, and says how much too long a longer name is (the field keeps it
 * whole; nothing is cut).
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_ACTIVITY_NAME,
  MAX_ATTRIBUTE_NAME,
  MAX_CAMPAIGN_NAME,
  MAX_DATABASE_NAME,
  MAX_FIELD_NAME,
  MAX_PROJECT_NAME,
  MAX_SEED,
  MAX_SEGMENT_NAME,
  specOf,
  type MethodName,
} from '../../shared/contract/index';
import { tooLongProblem } from '../../renderer/lib/text';
import { lengthCount } from '../../renderer/components/common/text-field';
import { activityNameProblem } from '../../renderer/store/activities/selectors';
import { attributeNameProblem } from '../../renderer/store/attributes/selectors';
import { campaignNameProblem } from '../../renderer/store/campaigns/selectors';
import { databaseNameProblem, fieldNameProblem } from '../../renderer/store/databases/validation';
import { seedProblem } from '../../renderer/store/gcg/selectors';
import { segmentNameProblem } from '../../renderer/store/segments/selectors';

interface NameRule {
  readonly what: string;
  readonly max: number;
  /** The form's check: null when the name is fine. */
  readonly form: (name: string) => string | null;
  /** The engine's arguments carrying the name. */
  readonly method: MethodName;
  readonly args: (name: string) => unknown;
}

const RULES: readonly NameRule[] = [
  { what: 'segment', max: MAX_SEGMENT_NAME, form: (n) => segmentNameProblem(n, [], 1), method: 'segment/rename', args: (name) => ({ segmentId: 1, name }) },
  { what: 'campaign', max: MAX_CAMPAIGN_NAME, form: campaignNameProblem, method: 'campaign/update', args: (name) => ({ campaignId: 1, name }) },
  { what: 'activity', max: MAX_ACTIVITY_NAME, form: activityNameProblem, method: 'activity/update', args: (name) => ({ activityId: 1, name }) },
  { what: 'database', max: MAX_DATABASE_NAME, form: (n) => databaseNameProblem(n, []), method: 'database/rename', args: (name) => ({ databaseId: 1, name }) },
  { what: 'field', max: MAX_FIELD_NAME, form: (n) => fieldNameProblem(n, []), method: 'field/update', args: (name) => ({ fieldId: 1, name }) },
  { what: 'attribute', max: MAX_ATTRIBUTE_NAME, form: (n) => attributeNameProblem(n, []), method: 'attribute/define', args: (name) => ({ name, required: false }) },
  { what: 'project', max: MAX_PROJECT_NAME, form: (n) => tooLongProblem(n, MAX_PROJECT_NAME), method: 'project/update', args: (name) => ({ name }) },
  { what: 'GCG seed', max: MAX_SEED, form: seedProblem, method: 'gcg/set', args: (seed) => ({ databaseId: 1, percent: '5', seed }) },
];

describe('name limits', () => {
  it.each(RULES)('the $what name: the form and the engine agree at the limit', ({ max, form, method, args }) => {
    const schema = specOf(method).args;
    const fits = 'ж'.repeat(max);
    const over = `${fits}x`;
    expect(form(fits)).toBeNull();
    expect(schema.safeParse(args(fits)).success).toBe(true);
    expect(form(over)).toBe(`At most ${max.toLocaleString('en-US')} characters; this has ${(max + 1).toLocaleString('en-US')} (1 too many).`);
    expect(schema.safeParse(args(over)).success).toBe(false);
  });

  it('counts a name as it nears its limit, and marks it past the limit', () => {
    expect(lengthCount('x'.repeat(100), MAX_CAMPAIGN_NAME)).toBeNull();
    expect(lengthCount('x'.repeat(160), MAX_CAMPAIGN_NAME)).toEqual({ text: '160 / 200 characters', over: false });
    expect(lengthCount('x'.repeat(230), MAX_CAMPAIGN_NAME)).toEqual({ text: '230 / 200 characters', over: true });
    expect(lengthCount('x'.repeat(230), undefined)).toBeNull();
  });
});
