/** The export dialog says what the group column holds: test or control, or gcg for the GCG members of a campaign's audience. */
import { describe, expect, it } from 'vitest';
import { groupColumnText } from '../../renderer/store/export-dialog/selectors';

describe('the group column of an export, in words', () => {
  it('test or control for a campaign group or a run, gcg for the GCG members, none for a database', () => {
    expect(groupColumnText({ scope: { kind: 'campaign', campaignId: 1, group: 'control' } })).toBe('test or control');
    expect(groupColumnText({ scope: { kind: 'run', runId: 1 } })).toBe('test or control');
    expect(groupColumnText({ scope: { kind: 'campaign', campaignId: 1, group: 'gcg' } })).toBe('gcg');
    expect(groupColumnText({ scope: { kind: 'database' } })).toBeNull();
    expect(groupColumnText({ scope: { kind: 'gcg' } })).toBeNull();
  });
});
