import type { SimPlan, SimScan, SimSettings } from '../../../shared/contract/index';
import { formatCount, formatValue, formatShare, formatChange } from '../../../shared/format';
import { mdeText, metricText, strataTable, unanalysableText, varianceTable } from '../../store/simulator/tables';
import { MdeChart, PowerChart } from './plan-charts';
import { ResultTable } from './result-table';

/** The closed form's answers: the sentence, the figures, the charts, strata and variance reduction. */
export function PlanResults({ scan, plan, settings }: { scan: SimScan; plan: SimPlan; settings: SimSettings }) {
  return (
    <>
      <section className="panel sim-answer" aria-labelledby="sim-answer-title">
        <h3 id="sim-answer-title" className="panel-title">
          What this LCG can show
        </h3>
        {/* A plan that cannot be computed says why in the sentence's place; further problems are listed under it. */}
        <p className={plan.problems.length > 0 ? 'sim-sentence sim-sentence-problem' : 'sim-sentence'} data-testid="sim-sentence">
          {plan.sentence}
        </p>
        {plan.problems.length > 1 && (
          <ul className="callout callout-warning" data-testid="sim-problems">
            {plan.problems.slice(1).map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {plan.unanalysable.length > 0 && (
          <p className="callout callout-warning" data-testid="sim-unanalysable">
            {unanalysableText(plan.unanalysable)}
          </p>
        )}
        <PlanFigures scan={scan} plan={plan} settings={settings} />
      </section>
      {/* Without an MDE (an empty group, a metric that does not vary) the charts and tables would be empty: the reason above is the answer. */}
      {plan.mde && <PlanDetails scan={scan} plan={plan} settings={settings} />}
    </>
  );
}

function PlanDetails({ scan, plan, settings }: { scan: SimScan; plan: SimPlan; settings: SimSettings }) {
  return (
    <>
      <section className="panel" aria-labelledby="sim-charts-title">
        <h3 id="sim-charts-title" className="panel-title">
          Charts
        </h3>
        <div className="sim-charts">
          <MdeChart scan={scan} plan={plan} settings={settings} />
          <PowerChart plan={plan} settings={settings} />
        </div>
      </section>
      <section className="panel" aria-labelledby="sim-variance-title">
        <h3 id="sim-variance-title" className="panel-title">
          Variance reduction and strata
        </h3>
        <ResultTable table={varianceTable(scan, plan)} testId="sim-variance" note="Each row is the MDE of the same split analysed another way: stratification removes the variance between strata, CUPED the part the covariate explains." />
        <ResultTable
          table={strataTable(scan, plan)}
          testId="sim-strata"
          note={`Strata: ${scan.strataLabel}. A stratum without at least 2 profiles in each group cannot say anything on its own (marked).`}
        />
      </section>
    </>
  );
}

function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <div className="sim-figure">
      <dt>{label}</dt>
      <dd className="sim-figure-value" data-testid={testId}>
        {value}
      </dd>
      {detail && <dd className="sim-figure-detail">{detail}</dd>}
    </div>
  );
}

function PlanFigures({ scan, plan, settings }: { scan: SimScan; plan: SimPlan; settings: SimSettings }) {
  const binary = scan.metric.kind === 'binary';
  const { sizes, mde } = plan;
  return (
    <dl className="sim-figures" data-testid="sim-figures">
      <Figure label="Audience" value={formatCount(sizes.audience)} detail={scan.audience.label} testId="sim-audience" />
      <Figure label="Test" value={formatCount(sizes.test)} detail={formatShare(1 - sizes.controlShare)} testId="sim-test" />
      <Figure label="LCG" value={formatCount(sizes.control)} detail={formatShare(sizes.controlShare)} testId="sim-control" />
      <Figure
        label={binary ? 'Baseline rate' : 'Baseline mean'}
        value={metricText(scan, plan.baseline.mean)}
        detail={binary ? scan.metric.label : `SD ${formatValue(plan.baseline.sd)} · ${scan.metric.label}`}
      />
      <Figure
        label="MDE"
        value={mde ? (mde.relative === null ? mdeText(scan, mde) : formatChange(mde.relative)) : '—'}
        detail={mde ? `${mdeText(scan, mde)}: from ${metricText(scan, plan.baseline.mean)} to ${metricText(scan, mde.detectable)}` : undefined}
        testId="sim-mde"
      />
      {binary && mde && mde.cohenH !== null && (
        <Figure
          label="Cohen’s h"
          value={mde.cohenH.toFixed(4)}
          detail={mde.differenceAbsolute === null ? undefined : `Difference form: ±${formatValue(mde.differenceAbsolute * 100)} points`}
          testId="sim-cohen-h"
        />
      )}
      <Figure
        label={settings.effect === null ? 'Power' : `Power at ${formatChange(settings.effect)}`}
        value={plan.power ? formatShare(plan.power.power) : '—'}
        detail={plan.power ? `${settings.sided}, α = ${settings.alpha}` : settings.effect === null ? 'Type a true effect to see it.' : undefined}
        testId="sim-power"
      />
      <Figure
        label={settings.targetMde === null ? 'LCG needed' : `LCG for ${formatChange(settings.targetMde)}`}
        value={plan.needed ? (plan.needed.percent === null ? 'None will do' : `${plan.needed.percent} %`) : '—'}
        detail={
          plan.needed ? (plan.needed.control === null ? (plan.needed.reason ?? undefined) : `${formatCount(plan.needed.control)} profiles`) : settings.targetMde === null ? 'Type a target MDE to see it.' : undefined
        }
        testId="sim-needed"
      />
      {plan.gcg ? (
        <Figure
          label="GCG"
          value={`${formatCount(plan.gcg.removed)} removed`}
          detail={plan.gcg.mde ? `Measured against the GCG instead: MDE ${mdeText(scan, plan.gcg.mde)}` : 'Too few in the GCG to measure against it.'}
          testId="sim-gcg"
        />
      ) : (
        scan.audience.kind === 'campaign' && <Figure label="GCG" value="None" detail="The database has no global control group, or the campaign is exempt from it." testId="sim-gcg" />
      )}
    </dl>
  );
}
