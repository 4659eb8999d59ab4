/** The CSV analysis report: every figure under its JSON name, exact numbers, the app's formula guard, RFC 4180 quoting. */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { analysisCsv } from '../../../shared/analytics/report-csv';
import { unescapeFormulaGuard } from '../../../shared/csv-formula-guard';
import { AnalysisResult } from '../../../shared/contract/analytics';
import { analysisFixture, FIXTURE_CAMPAIGN_NAME } from '../../helpers/analysis-fixture';

/** How many values a JSON document holds: each number, text, yes/no or null, and each empty list as one. */
function leaves(value: unknown): number {
  if (Array.isArray(value)) return value.length === 0 ? 1 : value.reduce((n: number, v) => n + leaves(v), 0);
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((n: number, v) => n + leaves(v), 0);
  return 1;
}

function parse(csv: string): Map<string, string> {
  const parsed = Papa.parse<string[]>(csv.replace(/\r\n$/, ''), { newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  const [header, ...data] = parsed.data;
  expect(header).toEqual(['section', 'key', 'value']);
  const map = new Map<string, string>();
  for (const [section, key, value] of data) {
    const name = `${section},${key}`;
    expect(map.has(name), `${name} is given once`).toBe(false);
    map.set(name, value!);
  }
  return map;
}

describe('the CSV analysis report', () => {
  const result = analysisFixture();
  const csv = analysisCsv(result);
  const cells = parse(csv);

  it('holds every figure of the analysis once, plus the metrics as written', () => {
    expect(cells.size).toBe(leaves(result) + 2);
    expect(cells.get('analysis,metricSyntax')).toBe('converted purchase 2w after entry');
    expect(cells.get('analysis,covariateSyntax')).toBe('count purchase 90d before entry');
  });

  it('names each figure as the JSON does, lists by what identifies their items', () => {
    const u = result.uplift!;
    const expected: Record<string, unknown> = {
      'analysis,campaignId': result.campaignId,
      'analysis,binary': true,
      'analysis,plannedLcgShare': result.plannedLcgShare,
      'metric,eventType': 'purchase',
      'metric,days': 14,
      'groups,test.profiles': 9000,
      'groups,lcg.withOutcome': 995,
      'groups,gcg.mean': result.groups[2]!.mean,
      'uplift,absolute.estimate': u.absolute.estimate,
      'uplift,absolute.low': u.absolute.low,
      'uplift,absolute.high': u.absolute.high,
      'uplift,absolute.p': u.absolute.p,
      'uplift,relative.low': u.relative!.low,
      'uplift,newcombe.low': u.newcombe![0],
      'uplift,newcombe.high': u.newcombe![1],
      'uplift,test': 'z',
      'uplift,df': null,
      'uplift,incremental.estimate': u.incremental.estimate,
      'srm,observed.test': 9000,
      'srm,observed.lcg': 1000,
      'srm,expected.lcg': result.srm!.expected[1],
      'srm,chiSquare': result.srm!.chiSquare,
      'srm,p': result.srm!.p,
      'srm,mismatch': false,
      'srmWithOutcome,observed.lcg': 995,
      'postStratified,high': result.postStratified!.high,
      'cuped,estimate.low': result.cuped!.estimate.low,
      'cuped,rho': result.cuped!.rho,
      'strata,3.tooSmall': true,
      'strata,3.uplift': null,
      'strata,1.uplift.p': result.strata[0]!.uplift!.p,
      'daily,2026-04-17.uplift': null,
      'daily,2026-04-30.sequential.high': result.daily[13]!.sequential![1],
      'gcg,reached.profiles': 10400,
      'gcg,uplift.absolute.p': result.gcg!.uplift!.absolute.p,
      'gcg,from': '2026-04-16T10:00',
      'lcgAge,days': 15,
      'lcgAge,rows.2.smd': 0.122,
      'lcgAge,rows.2.flagged': true,
      'warnings,1.kind': 'partial',
      'analysis,summary': result.summary,
      'analysis,campaignName': FIXTURE_CAMPAIGN_NAME,
    };
    for (const [name, value] of Object.entries(expected)) {
      const cell = cells.get(name);
      expect(cell, name).toBeDefined();
      if (value === null) expect(cell, name).toBe('');
      else if (typeof value === 'number') expect(Number(cell), name).toBe(value);
      else expect(cell, name).toBe(String(value));
    }
  });

  it('writes numbers exactly and never guards them; guards text that a spreadsheet would run as a formula', () => {
    expect(result.uplift!.absolute.low).toBeLessThan(0);
    expect(cells.get('uplift,absolute.low')).toBe(String(result.uplift!.absolute.low));
    expect(cells.get('lcgAge,rows.3.field')).toBe("'+tier");
    expect(cells.get('lcgAge,rows.3.level')).toBe("'@gold");
    const guarded = analysisCsv(AnalysisResult.parse({ ...result, campaignName: "'=SUM(A1)", summary: '-1 conversions', metricLabel: '\tlabel' }));
    const back = parse(guarded);
    expect(back.get('analysis,campaignName')).toBe("''=SUM(A1)");
    expect(back.get('analysis,summary')).toBe("'-1 conversions");
    expect(back.get('analysis,metricLabel')).toBe("'\tlabel");
    // The import's rule takes the guard off again: the names read back as they were.
    expect(unescapeFormulaGuard(back.get('analysis,campaignName')!)).toBe("'=SUM(A1)");
  });

  it('quotes as RFC 4180 says and ends every line with CRLF', () => {
    expect(csv).toContain('analysis,campaignName,"Spring <b>""sale""</b> & friends"\r\n');
    expect(csv.startsWith('section,key,value\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
