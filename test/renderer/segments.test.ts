import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { idListProblem, parseProfileIds, segmentDialogProblem, segmentNameProblem, sourceLabel, usedByText } from '../../renderer/store/segments/selectors';
import { membershipSentence } from '../../renderer/store/segments/slice';
import { notFoundFile, notFoundHead, notFoundSentence, NOT_FOUND_ON_SCREEN } from '../../renderer/store/segments/not-found';
import type { MembershipChange } from '../../shared/contract/index';
import { pickInFileBrowser, waitForState, type StoreHarness } from './helpers/in-process';
import { answerNext, noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

describe('pasted profile IDs', () => {
  it('one per line (or comma, semicolon, tab), trimmed, each once', () => {
    expect(parseProfileIds(' P0000001\r\nP0000002,P0000003;\tP0000001\n\n')).toEqual(['P0000001', 'P0000002', 'P0000003']);
    expect(idListProblem([])).toMatch(/at least one/);
    expect(idListProblem(['x'.repeat(1001)])).toMatch(/1,000 characters/);
    expect(idListProblem(['a'])).toBeNull();
  });
});

describe('segments in the store, on a real engine', () => {
  it('from all profiles: listed with size and source; rename; the member table pages and searches', async () => {
    const p = await plannedProject(500);
    harness = p.h;
    const { h } = p;
    expect(p.segment).toMatchObject({ name: 'Everyone', size: 500, databaseId: p.databaseId, source: { kind: 'all' } });
    await h.store.getState().loadSegments();
    expect(h.state().segments?.map((s) => s.name)).toEqual(['Everyone']);
    expect(sourceLabel(p.segment.source)).toBe('All profiles');
    expect(sourceLabel({ kind: 'condition', where: 'event purchase in last 7 days', clock: '2026-04-10T10:00' })).toBe('Condition on 2026-04-10 10:00: event purchase in last 7 days');
    expect(usedByText(p.segment)).toBe('Not used');

    expect(segmentNameProblem('everyone', h.state().segments ?? [], p.databaseId)).toBe('This database already has a segment named "Everyone".');
    expect(await h.store.getState().renameSegment(p.segment.id, 'All customers')).toBe(true);
    expect(h.state().segments?.[0]?.name).toBe('All customers');

    h.store.getState().navigate({ page: 'segment', segmentId: p.segment.id });
    h.store.getState().openProfileTable(p.databaseId, { kind: 'segment', segmentId: p.segment.id });
    const s = await waitForState(h.store, (st) => st.profileTable?.total === 500);
    expect(s.profileTable?.source).toEqual({ kind: 'segment', segmentId: p.segment.id });
    expect(s.profileTable?.pages[0]?.[0]?.profileId).toBe('P0000001');
    h.store.getState().searchProfiles({ text: 'P000001', in: 'profileId' });
    await waitForState(h.store, (st) => st.profileTable?.total === 10);
    // Segment members cannot be sorted: the engine takes no order for them.
    h.store.getState().toggleProfileSort('profileId');
    expect(h.state().profileTable?.sort).toBeNull();
  });

  it('the dialog: an empty segment, then IDs added and removed by pasting, with what was not found', async () => {
    const p = await plannedProject(50);
    harness = p.h;
    const { h } = p;
    h.store.getState().openSegmentDialog();
    expect(h.state().segmentDialog).toMatchObject({ databaseId: p.databaseId, from: 'all', name: '' });
    expect(segmentDialogProblem(h.state())).toBe('The segment name cannot be empty.');
    h.store.getState().setSegmentDraft({ name: 'Hand-picked', from: 'empty' });
    expect(segmentDialogProblem(h.state())).toBeNull();
    const change = await h.store.getState().createSegmentFromDialog();
    expect(change?.segment).toMatchObject({ name: 'Hand-picked', size: 0, source: { kind: 'manual' } });
    expect(h.state().segmentDialog).toBeNull();
    expect(h.state().route).toEqual({ page: 'segment', segmentId: change?.segment.id });
    const id = change?.segment.id ?? 0;

    const added = await h.store.getState().addSegmentProfiles(id, ['P0000001', 'P0000002', 'P0000003', 'nobody']);
    expect(added).toMatchObject({ changed: 3, unchanged: 0, notFoundCount: 1, notFound: ['nobody'] });
    expect(added && membershipSentence(added, 'added')).toBe('3 profiles added; 0 IDs already members. 1 ID was not found in the database: nobody.');
    const again = await h.store.getState().addSegmentProfiles(id, ['P0000001', 'P0000004']);
    expect(again).toMatchObject({ changed: 1, unchanged: 1, notFoundCount: 0 });
    const removed = await h.store.getState().removeSegmentProfiles(id, ['P0000002', 'P0000049']);
    expect(removed).toMatchObject({ changed: 1, unchanged: 1 });
    await waitForState(h.store, (st) => st.segments?.find((sg) => sg.id === id)?.size === 3);
  });

  it('from a CSV list of IDs picked in the in-app file browser', async () => {
    const p = await plannedProject(30);
    harness = p.h;
    const { h } = p;
    const file = join(h.engine.dir, 'ids.csv');
    writeFileSync(file, 'profile_id,name\nP0000005,a\nP0000006,b\nP0000006,b again\nX1,c\n');
    h.store.getState().openSegmentDialog({ databaseId: p.databaseId });
    h.store.getState().setSegmentDraft({ name: 'From a file', from: 'csv' });
    expect(segmentDialogProblem(h.state())).toBe('Choose a CSV file with the profile IDs.');
    const choosing = h.store.getState().chooseSegmentCsv();
    await waitForState(h.store, (s) => s.fileBrowser?.kind === 'open-csv');
    await pickInFileBrowser(h.store, h.engine.dir, 'ids.csv');
    await choosing;
    expect(h.state().segmentDialog?.csvPath).toBe(file);
    const change = await h.store.getState().createSegmentFromDialog();
    expect(change).toMatchObject({ segment: { size: 2, source: { kind: 'csv' } }, notFoundCount: 1, notFound: ['X1'] });
    expect(noticeTexts(h).at(-1)).toBe('Segment created: "From a file" was created with 2 profiles. 1 ID was not found in the database: X1.');
    expect(h.state().notices.at(-1)?.tone).toBe('warning');
    // Its page lists them, to copy or to save as a text file of one ID per line.
    expect(h.state().segmentCreated).toEqual({ segmentId: change?.segment.id, change });
    if (change) h.store.getState().downloadNotFoundIds(change);
    expect(h.platform.downloads.at(-1)).toEqual({ fileName: 'From a file - IDs not found.txt', text: 'X1\n', mimeType: 'text/plain;charset=utf-8' });
    h.store.getState().dismissSegmentCreated();
    expect(h.state().segmentCreated).toBeNull();

    // A file of IDs the database does not have at all: an empty segment, said as a warning.
    writeFileSync(file, 'profile_id\nX1\nX2\n');
    h.store.getState().openSegmentDialog({ databaseId: p.databaseId });
    h.store.getState().setSegmentDraft({ name: 'Nobody known', from: 'csv' });
    const picking = h.store.getState().chooseSegmentCsv();
    await waitForState(h.store, (s) => s.fileBrowser?.kind === 'open-csv');
    await pickInFileBrowser(h.store, h.engine.dir, 'ids.csv');
    await picking;
    expect(await h.store.getState().createSegmentFromDialog()).toMatchObject({ segment: { size: 0 }, notFoundCount: 2 });
    expect(h.state().notices.at(-1)).toMatchObject({ tone: 'warning', title: 'Segment created empty' });
  });

  it('a dropped file becomes the list of the open dialog', async () => {
    const p = await plannedProject(10);
    harness = p.h;
    const { h } = p;
    h.store.getState().openSegmentDialog({ databaseId: p.databaseId });
    await h.store.getState().segmentDroppedFile(new File(['id\nP0000001\nP0000002\n'], 'dropped.csv', { type: 'text/csv' }));
    expect(h.state().segmentDialog).toMatchObject({ from: 'csv', upload: null, error: null });
    expect(h.state().segmentDialog?.csvPath).toMatch(/dropped\.csv$/);
    h.store.getState().setSegmentDraft({ name: 'Dropped' });
    expect((await h.store.getState().createSegmentFromDialog())?.segment.size).toBe(2);
  });

  it('delete: asks first; a segment a campaign uses is refused, and the notice names the campaign', async () => {
    const p = await plannedProject(20);
    harness = p.h;
    const { h } = p;
    const campaign = await h.store.getState().createCampaign({
      name: 'Uses it',
      databaseId: p.databaseId,
      segmentId: p.segment.id,
      attributes: {},
      lcg: { percent: null, limit: null, strata: [] },
      seed: 's',
    });
    expect(campaign).not.toBeNull();
    await h.store.getState().loadSegments();
    expect(h.state().segments?.find((s) => s.id === p.segment.id)?.usedBy.campaigns).toBe(1);
    expect(await h.store.getState().deleteSegment(p.segment.id)).toBe(false);
    const notice = h.state().notices.at(-1);
    expect(notice?.code).toBe('REFUSED');
    expect(notice?.hint).toBe('It is used by campaigns "Uses it": remove it from them first.');

    const spare = await h.store.getState().createSegment({ databaseId: p.databaseId, name: 'Spare', from: { kind: 'empty' } });
    const deleting = h.store.getState().deleteSegment(spare?.segment.id ?? 0);
    expect(await answerNext(h, 'delete')).toBe('Delete the segment "Spare"?');
    expect(await deleting).toBe(true);
    expect(h.state().segments?.map((s) => s.name)).toEqual(['Everyone']);
  });
});

describe('IDs not found', () => {
  const change = (notFound: string[], notFoundCount: number): MembershipChange => ({
    segment: { name: 'Spring' } as MembershipChange['segment'],
    changed: 10,
    unchanged: 0,
    notFoundCount,
    notFound,
  });

  it('are named in the sentence, the first five and how many more', () => {
    expect(notFoundSentence(change(['a', 'b'], 2))).toBe('2 IDs were not found in the database: a, b.');
    const many = Array.from({ length: 100 }, (_, i) => `id${i}`);
    expect(notFoundSentence(change(many, 2_345))).toBe('2,345 IDs were not found in the database: id0, id1, id2, id3, id4 and 2,340 more.');
    expect(notFoundHead(change(many, 2_345), NOT_FOUND_ON_SCREEN)).toEqual({ ids: many.slice(0, 20), more: 2_325 });
  });

  it('are saved one per line, every one the engine listed', () => {
    expect(notFoundFile(change(['a,1', 'b "2"'], 2))).toEqual({ fileName: 'Spring - IDs not found.txt', text: 'a,1\nb "2"\n' });
  });
});
