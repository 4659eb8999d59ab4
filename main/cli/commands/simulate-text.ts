/** What `cplan simulate` prints for people: the audience, then one block per LCG share, then a comparison table. */
import type { SimBalance, SimMonteCarlo, SimPlan, SimScan, SimSettings } from '../../../shared/contract/simulate';
import { formatChange, formatCount, formatShare, formatValue } from '../../../shared/format';
import { table } from '../text-table';

export interface SimulationRun {
  readonly settings: SimSettings;
  readonly plan: SimPlan;
  readonly monteCarlo: SimMonteCarlo | null;
  readonly balance: SimBalance | null;
}

const dash = '–';
const orDash = <T>(x: T | null | undefined, f: (v: T) => string) => (x === null || x === undefined ? dash : f(x));

function lcgName(settings: SimSettings): string {
  const parts = [settings.percent === null ? null : `${settings.percent} %`, settings.limit === null ? null : `at most ${formatCount(settings.limit)}`].filter((p) => p !== null);
  return `LCG ${parts.join(', ')}`;
}

/** A rate or mean of the metric: a share for a binary metric, a value otherwise. */
const level = (binary: boolean) => (x: number) => (binary ? formatShare(x) : formatValue(x));

function interval(rate: SimMonteCarlo['aa']['falsePositive']): string {
  return `${formatShare(rate.rate)} (95 % interval ${formatShare(rate.interval95[0])} to ${formatShare(rate.interval95[1])})`;
}

function block(scan: SimScan, run: SimulationRun): string[] {
  const { plan, settings, monteCarlo, balance } = run;
  const binary = scan.metric.kind === 'binary';
  const show = level(binary);
  const lines = [`${lcgName(settings)}: ${formatCount(plan.sizes.control)} in the LCG, ${formatCount(plan.sizes.test)} in Test (${formatShare(plan.sizes.controlShare)} exactly)`];
  if (plan.problems.length > 0) return [...lines, ...plan.problems.map((p) => `  ${p}`)];
  const rows: [string, string][] = [];
  rows.push(['Baseline', `${show(plan.baseline.mean)}${binary ? '' : ` (sd ${formatValue(plan.baseline.sd)})`}`]);
  if (plan.mde) {
    const relative = orDash(plan.mde.relative, formatChange);
    rows.push(['MDE', `${relative} relative, ${show(plan.baseline.mean)} to ${show(plan.mde.detectable)} (absolute ${formatValue(plan.mde.absolute)})`]);
    if (plan.mde.cohenH !== null) rows.push(["Cohen's h", `${formatValue(plan.mde.cohenH)} (difference form: ${formatValue(plan.mde.differenceAbsolute ?? Number.NaN)})`]);
  }
  if (plan.power) rows.push([`Power for ${formatChange(plan.power.effect)}`, formatShare(plan.power.power)]);
  if (plan.needed) rows.push([`LCG for ${formatChange(plan.needed.targetMde)}`, plan.needed.percent === null ? (plan.needed.reason ?? dash) : `${plan.needed.percent} % (${formatCount(plan.needed.control ?? 0)} profiles)`]);
  const v = plan.variance;
  rows.push(['MDE (absolute)', `plain ${orDash(v.plain, formatValue)}, stratified ${orDash(v.stratified, formatValue)}, CUPED ${orDash(v.cuped, formatValue)}, both ${orDash(v.stratifiedCuped, formatValue)}`]);
  if (v.rho2 !== null) rows.push(['Covariate ρ²', formatValue(v.rho2)]);
  if (plan.gcg) rows.push(['GCG', `removes ${formatCount(plan.gcg.removed)}; MDE against the GCG ${orDash(plan.gcg.mde?.relative, formatChange)}`]);
  if (monteCarlo) {
    rows.push([`A/A (${formatCount(monteCarlo.reps)} splits)`, `false positives ${interval(monteCarlo.aa.falsePositive)} at α = ${settings.alpha}`]);
    if (monteCarlo.effect) rows.push([`Power, ${formatChange(monteCarlo.effect.effect)} injected`, `${interval(monteCarlo.effect.power)}; closed form ${formatShare(monteCarlo.effect.closedFormPower)}`]);
  }
  if (balance) {
    const flagged = balance.rows.filter((r) => r.flagged);
    rows.push(['Balance', `${flagged.length} of ${balance.rows.length} compared values differ by |SMD| > 0.1${flagged.length > 0 ? `: ${flagged.map((r) => `${r.field}${r.level === null ? '' : ` = ${r.level}`} (${formatValue(r.smd ?? 0)})`).join(', ')}` : ''}`]);
    for (const chi of balance.chiSquare.filter((c) => !c.valid && c.note)) rows.push([`Chi-square ${chi.field}`, chi.note!]);
  }
  if (plan.unanalysable.length > 0) rows.push(['Strata too small', plan.unanalysable.join('; ')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return [...lines, ...rows.map(([k, text]) => `  ${k.padEnd(width)}  ${text}`), '', `  ${plan.sentence}`];
}

export function simulationText(scan: SimScan, runs: readonly SimulationRun[]): string {
  const gcg = scan.audience.gcgRemoved ? ` (the global control group removes ${formatCount(scan.audience.gcgRemoved)})` : '';
  const missing = scan.metric.missing > 0 ? `; ${formatCount(scan.metric.missing)} without a value count as 0` : '';
  const first = runs[0]?.settings;
  const lines = [
    `${scan.audience.label}: ${formatCount(scan.audience.size)} profiles${gcg}, ${scan.strataLabel} (${formatCount(scan.strata.length)} strata).`,
    `Metric: ${scan.metric.label} (${scan.metric.kind})${missing}.${scan.covariate ? ` Covariate: ${scan.covariate.label}.` : ''}`,
    first ? `α = ${first.alpha}, power ${formatShare(first.power)}, ${first.sided}, seed "${first.seed}".` : '',
  ];
  for (const run of runs) lines.push('', ...block(scan, run));
  if (runs.length > 1) {
    lines.push(
      '',
      table(
        ['LCG', 'Profiles', 'MDE', 'A/A false positives', 'Flagged'],
        runs.map((r) => [
          lcgName(r.settings).slice(4),
          formatCount(r.plan.sizes.control),
          orDash(r.plan.mde?.relative, formatChange),
          orDash(r.monteCarlo?.aa.falsePositive.rate, formatShare),
          r.balance ? formatCount(r.balance.rows.filter((x) => x.flagged).length) : dash,
        ]),
        ['left', 'right', 'right', 'right', 'right'],
      ),
    );
  }
  return lines.join('\n');
}
