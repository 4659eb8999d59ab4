/**
 * `cplan analyze`, in this process on real project files: the demo project with a campaign
 * played forward on the clock (a regular mailing every Monday), analysed from the terminal.
 * The figures are the engine's own, the analysis is kept unless --no-save, the reports are
 * the report builders' pages, and mistakes are refused with the metric syntax. Once as a
 * real process: the command ends on its own.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_SYNTAX_HELP } from '../../../shared/analytics/metric-text';
import { analysisCsv } from '../../../shared/analytics/report-csv';
import { analysisHtml } from '../../../shared/analytics/report-html';
import type { AnalysisResult, OutcomeFile } from '../../../shared/contract/analytics';
import { cplanWorkspace } from '../../helpers/cplan-process';
import { startTestEngine } from '../../helpers/engine';
import { cli, fails, json, ok } from '../../helpers/cli-in-process';
import { tempDir } from '../../helpers/temp-dir';

const LONG = 120_000;
const METRIC = 'converted purchase 14d';
const COVARIATE = 'count open 30d before entry';

/** The commands that make the played-forward demo project in `file`. */
const SETUP: readonly (readonly string[])[] = [
  ['demo', 'FILE', '--profiles', '1500', '--seed', 'analyze', '--replay'],
  ['segment', 'create', 'FILE', 'Everyone', '--database', 'Customers', '--from', 'all'],
  ['campaign', 'create', 'FILE', 'Spring sale', '--database', 'Customers', '--segment', 'Everyone', '--percent', '20', '--stratum', 'gender', '--seed', 's'],
  ['activity', 'create', 'FILE', 'Digest', '--type', 'regular_mailing', '--campaign', 'Spring sale'],
  ['activity', 'launch', 'FILE', 'Digest', '--schedule', 'weekly mon 10:00'],
  ['campaign', 'activate', 'FILE', 'Spring sale'],
];

/** The project clock after the demo's replay start plus about five weeks. */
async function playForward(file: string): Promise<void> {
  for (const command of SETUP) await ok(...command.map((a) => (a === 'FILE' ? file : a)));
  const { clock } = await json<{ clock: string }>('clock', 'show', file);
  const later = new Date(`${clock}:00Z`);
  later.setUTCDate(later.getUTCDate() + 36);
  await ok('clock', 'advance', file, '--to', later.toISOString().slice(0, 16), '--step', '1w');
}

let masterDir: string;
let master: string;

// Made once for the file (tempDir's folders go after each test): each test works on a copy.
beforeAll(async () => {
  masterDir = mkdtempSync(join(tmpdir(), 'cplan-analyze-master-'));
  master = join(masterDir, 'master.cplan');
  await playForward(master);
}, LONG);

afterAll(() => rmSync(masterDir, { recursive: true, force: true }));

/** A fresh copy of the played-forward project. */
function project(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'spring.cplan');
  copyFileSync(master, file);
  return { dir, file };
}

/** The analyses kept in a project file, and one of them whole, read by an engine of its own. */
async function kept(file: string): Promise<{ ids: number[]; get: (id: number) => Promise<AnalysisResult>; run: () => Promise<AnalysisResult> }> {
  const t = await startTestEngine();
  await t.call('project/open', { path: file });
  const campaign = (await t.call('campaign/list', {})).find((c) => c.name === 'Spring sale')!;
  const ids = (await t.call('analytics/list', { campaignId: campaign.id })).map((a) => a.id);
  return {
    ids,
    get: async (id) => (await t.call('analytics/get', { id })).result,
    run: async () =>
      (
        await t.call('analytics/run', {
          campaignId: campaign.id,
          metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14 },
          covariate: { kind: 'event', measure: 'count', eventType: 'open', days: 30, period: 'before' },
          save: false,
        })
      ).result,
  };
}

/** A result without what differs between two runs of the same analysis (the wall clock and the time it took). */
const figures = (r: AnalysisResult) => ({ ...r, analyzedAt: null, durationMs: null });

describe('cplan analyze', { timeout: LONG }, () => {
  it('--json gives every figure of analytics/run with its own keys, and keeps the analysis in the file', async () => {
    const { file } = project();
    const data = await json<AnalysisResult & { analysisId: number; saved: boolean; reports: unknown[]; outcomeFile: unknown }>('analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--covariate', COVARIATE);
    expect(data).toMatchObject({ saved: true, reports: [], outcomeFile: null, campaignName: 'Spring sale', binary: true });
    const { analysisId, saved, reports, outcomeFile, ...result } = data;
    expect([saved, reports, outcomeFile]).toEqual([true, [], null]);
    // Enough happened for every part to be there.
    expect(result.groups.map((g) => g.group)).toEqual(['test', 'lcg']);
    expect(result.uplift).not.toBeNull();
    expect(result.srm).not.toBeNull();
    expect(result.strata.length).toBeGreaterThan(1);
    expect(result.daily.length).toBeGreaterThan(30);
    const file2 = await kept(file);
    expect(file2.ids).toEqual([analysisId]);
    expect(await file2.get(analysisId)).toEqual(result);
    expect(figures(await file2.run())).toEqual(figures(result));
  });

  it('prints a readable report: groups, uplift with intervals and p-values, SRM, estimates, strata, warnings, the sentence', async () => {
    const { file } = project();
    const text = await ok('analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--covariate', COVARIATE);
    const result = await (await kept(file)).get((await kept(file)).ids[0]!);
    expect(text).toMatch(/^Campaign "Spring sale": converted: at least one purchase in the 2 weeks after entry \(converted purchase 2w after entry\)\. Covariate: /);
    expect(text).toMatch(/\n {2}Group +Profiles +With an outcome +Missing +Partial +Rate +Conversions\n/);
    expect(text).toMatch(/\nUplift of Test over the LCG:\n {2}Absolute +[+−]\d+\.\d\d points \(95 % interval [+−]\d+\.\d\d to [+−]\d+\.\d\d points, p (=|<) [\d.]+\); z = /);
    expect(text).toMatch(/\n {2}Relative +[+−][\d.]+ % \(/);
    expect(text).toMatch(/\n {2}Incremental +[+−][\d,]+ conversions \(95 % interval /);
    expect(text).toMatch(/\n {2}Post-stratified +[+−]\d+\.\d\d points/);
    expect(text).toMatch(/\n {2}CUPED +/);
    expect(text).toMatch(/\nSample ratio check:\n {2}All profiles +Test [\d,]+ \/ LCG [\d,]+, expected .*χ² = [\d.]+, p (=|<) [\d.]+ \((as planned|MISMATCH)\)/);
    expect(text).toMatch(/\n {2}Stratum +Test +LCG +Test rate +LCG rate +Uplift +95 % interval +p-value +Note\n/);
    expect(text).toContain('gender = female');
    for (const w of result.warnings) expect(text).toContain(w.text);
    expect(text).toContain(`\n${result.summary}\n`);
    expect(text).toMatch(/\nKept in spring\.cplan as analysis #\d+ \(converted purchase 2w after entry\)\.\n$/);
  });

  it('--html and --csv write the reports of the kept analysis; an existing file needs --force, and a refusal saves nothing', async () => {
    const { dir, file } = project();
    const html = join(dir, 'report.html');
    const csv = join(dir, 'report.csv');
    const run = await cli('analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--html', html, '--csv', csv);
    expect(run.code, run.stderr).toBe(0);
    const store = await kept(file);
    const result = await store.get(store.ids[0]!);
    expect(readFileSync(html, 'utf8')).toBe(analysisHtml(result));
    expect(readFileSync(csv, 'utf8')).toBe(`\uFEFF${analysisCsv(result)}`);
    expect(run.stdout).toContain(`Wrote the HTML report ${html} (`);

    const before = readFileSync(file);
    const refused = await fails(1, 'analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--html', html);
    expect(refused).toBe(`${html} already exists; add --force to replace it.`);
    expect(readFileSync(file).equals(before)).toBe(true);
    await ok('analyze', file, '--campaign', 'Spring sale', '--metric', 'sum purchase 30d', '--html', html, '--force');
    expect(readFileSync(html, 'utf8')).toContain('purchase amount in the 30 days after entry');
    expect((await kept(file)).ids).toHaveLength(2);
  });

  it('--no-save leaves the file as it was, reports included', async () => {
    const { dir, file } = project();
    const before = readFileSync(file);
    const html = join(dir, 'r.html');
    const data = await json<{ analysisId: number | null; saved: boolean; reports: { format: string; path: string; bytes: number }[] }>('analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--no-save', '--html', html);
    expect(data).toMatchObject({ analysisId: null, saved: false, reports: [{ format: 'html', path: html, bytes: readFileSync(html).byteLength }] });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(await ok('analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--no-save')).toMatch(/\nNot kept \(--no-save\): the project file is unchanged\.\n$/);
  });

  it('refuses a bad metric or flag with exit code 2 and says how to write a metric; an unknown campaign with 1', async () => {
    const { dir, file } = project();
    const before = readFileSync(file);
    const bad = await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--metric', 'bought purchase 14d');
    expect(bad).toBe(`--metric "bought purchase 14d": "bought" is not a measure. ${METRIC_SYNTAX_HELP}`);
    expect(await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--covariate', 'sum purchase 14')).toContain(`--covariate "sum purchase 14": The window is missing or not like 14d or 2w. ${METRIC_SYNTAX_HELP}`);
    expect(await fails(2, 'analyze', file, '--campaign', 'Spring sale')).toBe(`--metric METRIC is required. ${METRIC_SYNTAX_HELP}`);
    expect(await fails(2, 'analyze', file, '--metric', METRIC)).toBe('--campaign NAME is required');
    expect(await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--id-column', 'id')).toBe('--id-column goes with --outcomes FILE.csv');
    expect(await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--html', join(dir, 'r.txt'))).toMatch(/^the --html file name must end in \.html: /);
    expect(await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--metric', METRIC, '--bogus')).toMatch(/^Unknown option '--bogus'/);
    expect(await fails(2, 'analyze', join(dir, 'spring.txt'), '--campaign', 'Spring sale', '--metric', METRIC)).toMatch(/must end in \.cplan/);
    expect(await fails(1, 'analyze', file, '--campaign', 'Autumn', '--metric', METRIC)).toMatch(/^There is no campaign "Autumn"/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(join(dir, 'r.txt'))).toBe(false);
  });

  it('a bad metric with --json prints the error envelope too', async () => {
    const { file } = project();
    const run = await cli('analyze', file, '--campaign', 'Spring sale', '--metric', 'converted', '--json');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: `--metric "converted": The event type is missing. ${METRIC_SYNTAX_HELP}` } });
  });
});

/** An outcome file for the demo's profiles 0000001…0001500 (every third has none) and one ID the database does not know. */
function outcomesCsv(dir: string): string {
  const lines = ['customer,revenue,Bought'];
  for (let i = 1; i <= 1500; i += 1) if (i % 3 !== 0) lines.push(`${String(i).padStart(7, '0')},${(i * 37) % 200},${i % 4 === 0 ? 'yes' : 'no'}`);
  lines.push('X-unknown,5,no');
  const path = join(dir, 'outcomes.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('cplan analyze --outcomes', { timeout: LONG }, () => {
  it('imports the outcome file first; a metric that is one of its column names means that column', async () => {
    const { dir, file } = project();
    const path = outcomesCsv(dir);
    const data = await json<AnalysisResult & { outcomeFile: OutcomeFile; analysisId: number }>('analyze', file, '--campaign', 'Spring sale', '--outcomes', path, '--id-column', 'customer', '--metric', 'revenue');
    expect(data.metric).toEqual({ kind: 'outcome', column: 'revenue' });
    expect(data.binary).toBe(false);
    expect(data.outcomeFile).toMatchObject({ fileName: 'outcomes.csv', rows: 1001, unknownProfiles: 1, unknownExamples: ['X-unknown'] });
    expect(data.outcomeFile.columns.map((c) => [c.name, c.binary])).toEqual([['revenue', false], ['Bought', true]]);
    // Every third profile has no row: counted as missing.
    const [test, lcg] = data.groups;
    expect(test!.missing + lcg!.missing).toBe(500);
    // The outcome file is kept with the analysis: the same figures again from the engine.
    const { outcomeFile, analysisId, saved, reports, ...result } = data as typeof data & { saved: boolean; reports: unknown };
    expect([outcomeFile.fileName, saved, reports]).toEqual(['outcomes.csv', true, []]);
    expect(await (await kept(file)).get(analysisId)).toEqual(result);

    // A yes/no column is binary; the name is compared without case, as the engine compares names.
    const bought = await json<AnalysisResult>('analyze', file, '--campaign', 'Spring sale', '--outcomes', path, '--id-column', 'customer', '--metric', 'bought', '--no-save');
    expect(bought.metric).toEqual({ kind: 'outcome', column: 'Bought' });
    expect(bought.binary).toBe(true);
    expect((await json<AnalysisResult>('analyze', file, '--campaign', 'Spring sale', '--metric', 'column revenue', '--no-save')).groups).toEqual(data.groups);
  });

  it('a metric that is neither a column nor a metric is refused with the columns and the syntax, and nothing is kept', async () => {
    const { dir, file } = project();
    const before = readFileSync(file);
    const message = await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--outcomes', outcomesCsv(dir), '--id-column', 'customer', '--metric', 'revenu');
    expect(message).toBe(`--metric "revenu": "revenu" is not a measure. ${METRIC_SYNTAX_HELP} The outcome file's columns are "revenue", "Bought".`);
    expect(readFileSync(file).equals(before)).toBe(true);
    // Without --outcomes, a bare column name is no metric: "column NAME" says it.
    expect(await fails(2, 'analyze', file, '--campaign', 'Spring sale', '--metric', 'revenue')).toMatch(/^--metric "revenue": "revenue" is not a measure\./);
  });
});

describe('cplan analyze as a real process', () => {
  it('ends on its own with code 0, having written its report', async () => {
    const workspace = cplanWorkspace(undefined, 60_000);
    copyFileSync(master, join(workspace.dir, 'p.cplan'));
    writeFileSync(join(workspace.dir, 'old.html'), 'old');
    const run = await workspace.run('analyze', 'p.cplan', '--campaign', 'Spring sale', '--metric', METRIC, '--html', 'old.html', '--force', '--json');
    expect(run.signal, 'cplan analyze did not exit on its own').toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).reports).toEqual([expect.objectContaining({ format: 'html', path: join(workspace.dir, 'old.html') })]);
    expect(readFileSync(join(workspace.dir, 'old.html'), 'utf8')).toMatch(/^<!doctype html>/);
  }, LONG);
});
