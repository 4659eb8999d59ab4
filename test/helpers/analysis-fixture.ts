/**
 * A hand-made AnalysisResult for tests of what shows an analysis (the HTML and CSV
 * reports, the CLI text, the Analytics tab): a binary metric on a stratified campaign
 * with a covariate, two weeks of daily uplift, a GCG comparison and the LCG's drift.
 * The figures come from the real statistics (shared/stats/uplift.ts) on made-up counts,
 * so they agree with each other; names hold HTML and spreadsheet-formula characters, as
 * users' names may. Validated by the contract's schema, so it is a result the engine
 * could give.
 */
import { AnalysisResult, type AnalysisEstimate, type AnalysisGroup, type DailyUplift, type StratumAnalysis, type Uplift } from '../../shared/contract/analytics';
import { groupMoments, postStratifiedUplift, proportionsUplift, sampleRatioCheck, type Estimate, type ProportionsUplift } from '../../shared/stats/uplift';

const estimate = (e: Estimate): AnalysisEstimate => ({ estimate: e.estimate, se: e.se, low: e.low, high: e.high, p: e.p });

function group(name: AnalysisGroup['group'], profiles: number, withOutcome: number, partial: number, conversions: number): AnalysisGroup {
  const m = groupMoments(true, withOutcome, conversions, conversions);
  return { group: name, profiles, withOutcome, missing: profiles - withOutcome, partial, mean: m.mean, variance: m.variance, sum: conversions };
}

function srm(test: number, lcg: number, lcgShare: number) {
  const check = sampleRatioCheck([test, lcg], [1 - lcgShare, lcgShare])!;
  return { observed: [test, lcg] as [number, number], expected: [check.expected[0]!, check.expected[1]!] as [number, number], chiSquare: check.chiSquare, p: check.p, mismatch: check.mismatch };
}

/** A stratum from its counts (Test converted of Test, LCG converted of LCG). */
function stratum(number: number, label: string, kT: number, nT: number, kC: number, nC: number): StratumAnalysis {
  const tooSmall = nT < 30 || nC < 30;
  const uplift = tooSmall ? null : proportionsUplift(kT, nT, kC, nC);
  return { stratum: number, label, testProfiles: nT, lcgProfiles: nC, meanTest: nT > 0 ? kT / nT : null, meanLcg: nC > 0 ? kC / nC : null, uplift: uplift ? estimate(uplift.absolute) : null, tooSmall };
}

/** The cumulative uplift on day i of 14: the profiles whose window has begun grow day by day. */
function day(i: number): DailyUplift {
  const date = `2026-04-${String(17 + i).padStart(2, '0')}`;
  const nT = Math.round((8950 * (i + 1)) / 14);
  const nC = Math.round((995 * (i + 1)) / 14);
  const kT = Math.round(nT * 0.0525);
  const kC = Math.round(nC * (0.041 + 0.004 * Math.sin(i)));
  const uplift = i === 0 ? null : proportionsUplift(kT, nT, kC, nC);
  // A confidence sequence is wider than the plain interval, the more so the earlier.
  const widen = 1.6;
  const sequential: [number, number] | null = uplift ? [uplift.absolute.estimate - widen * (uplift.absolute.estimate - uplift.absolute.low), uplift.absolute.estimate + widen * (uplift.absolute.high - uplift.absolute.estimate)] : null;
  return { day: date, testProfiles: nT, lcgProfiles: nC, uplift: uplift ? estimate(uplift.absolute) : null, sequential };
}

/** The uplift of two proportions as the analysis gives it; incremental over `testWithOutcome` profiles. */
function uplift(u: ProportionsUplift, testWithOutcome: number): Uplift {
  const a = u.absolute;
  return {
    absolute: estimate(a),
    relative: u.relative ? estimate(u.relative) : null,
    newcombe: [u.newcombe[0], u.newcombe[1]],
    test: 'z',
    statistic: u.z,
    df: null,
    incremental: { estimate: a.estimate * testWithOutcome, low: a.low * testWithOutcome, high: a.high * testWithOutcome },
  };
}

/** User text with characters HTML and spreadsheets treat specially. */
export const FIXTURE_CAMPAIGN_NAME = 'Spring <b>"sale"</b> & friends';
export const FIXTURE_FORMULA_LABEL = '=HYPERLINK("x","y")';

export function analysisFixture(): AnalysisResult {
  const test = group('test', 9000, 8950, 120, 470);
  const lcg = group('lcg', 1000, 995, 14, 41);
  const gcgGroup = group('gcg', 520, 520, 0, 20);
  const plain = proportionsUplift(470, 8950, 41, 995)!;
  const strata = [
    stratum(1, 'city = Moscow', 300, 5600, 24, 620),
    stratum(2, `city = ${FIXTURE_FORMULA_LABEL}`, 168, 3330, 16, 360),
    stratum(3, 'city = <none>', 2, 20, 1, 15),
  ];
  const weights = [6220, 3690, 35];
  const post = postStratifiedUplift(
    strata.map((s, i) => ({
      weight: weights[i]!,
      test: groupMoments(true, s.testProfiles, (s.meanTest ?? 0) * s.testProfiles, (s.meanTest ?? 0) * s.testProfiles),
      control: groupMoments(true, s.lcgProfiles, (s.meanLcg ?? 0) * s.lcgProfiles, (s.meanLcg ?? 0) * s.lcgProfiles),
    })),
  )!;
  const rho = 0.42;
  const cupedSe = plain.absolute.se * Math.sqrt(1 - rho * rho);
  const cupedEstimate = plain.absolute.estimate - 0.0007;
  const reached = proportionsUplift(560, 10400, 20, 520)!;
  const result = {
    campaignId: 3,
    campaignName: FIXTURE_CAMPAIGN_NAME,
    metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14, anchor: 'entry', period: 'after' },
    covariate: { kind: 'event', measure: 'count', eventType: 'purchase', days: 90, anchor: 'entry', period: 'before' },
    metricLabel: 'converted: at least one purchase in the 2 weeks after entry',
    covariateLabel: 'number of purchase events in the 90 days before entry',
    binary: true,
    confidence: 0.95,
    clock: '2026-05-01T10:00',
    analyzedAt: '2026-04-30T08:15:00.000Z',
    plannedLcgShare: 0.1,
    groups: [test, lcg, gcgGroup],
    srm: srm(9000, 1000, 0.1),
    srmWithOutcome: srm(8950, 995, 0.1),
    uplift: uplift(plain, 8950),
    postStratified: estimate(post),
    cuped: {
      estimate: { estimate: cupedEstimate, se: cupedSe, low: cupedEstimate - 1.959964 * cupedSe, high: cupedEstimate + 1.959964 * cupedSe, p: 0.0123 },
      theta: 0.0214,
      rho,
      varianceFactor: 1 - rho * rho,
      profiles: 9945,
    },
    strata,
    daily: Array.from({ length: 14 }, (_, i) => day(i)),
    gcg: {
      reached: group('test', 10400, 10400, 0, 560),
      gcg: gcgGroup,
      uplift: uplift(reached, 10400),
      from: '2026-04-16T10:00',
      to: '2026-04-30T10:00',
    },
    lcgAge: {
      since: '2026-04-16T10:00',
      days: 15,
      rows: [
        { field: 'age', level: null, meanTest: 41.2, meanLcg: 40.9, smd: 0.024, flagged: false },
        { field: 'city', level: 'Moscow', meanTest: 0.62, meanLcg: 0.56, smd: 0.122, flagged: true },
        { field: '+tier', level: '@gold', meanTest: 0.1, meanLcg: 0.1, smd: null, flagged: false },
      ],
    },
    warnings: [
      { kind: 'partial', text: '134 profiles entered less than 14 days before the clock: their windows are not over, so the results are partial.' },
      { kind: 'small_strata', text: 'One stratum is too small to say anything on its own: city = <none>.' },
      { kind: 'peeking', text: 'Looking at the uplift every day inflates false positives: read the wider sequential band, not the daily interval.' },
    ],
    summary: `Test converted ${(test.mean! * 100).toFixed(1)} % against ${(lcg.mean! * 100).toFixed(1)} % in the LCG: about 99 more conversions <b>from the campaign</b>.`,
    durationMs: 412.5,
  };
  return AnalysisResult.parse(result);
}

/** The fixture with groups far from the planned split: the sample ratio check flags a mismatch. */
export function analysisFixtureWithSrmMismatch(): AnalysisResult {
  const base = analysisFixture();
  const mismatch = srm(9000, 1300, 0.1);
  return AnalysisResult.parse({
    ...base,
    groups: base.groups.map((g) => (g.group === 'lcg' ? { ...g, profiles: 1300, withOutcome: 1295, missing: 5 } : g)),
    srm: mismatch,
    warnings: [{ kind: 'srm', text: 'The groups are not the sizes the split planned (p < 0.001).' }, ...base.warnings],
  });
}
