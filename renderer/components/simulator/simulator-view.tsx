import { useEffect, useMemo } from 'react';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { sourceKey } from '../../store/simulator/form';
import { selectSimulator, simulatorFields, simulatorView } from '../../store/simulator/selectors';
import { BalanceSection, MonteCarloSection, ScanProgress } from './engine-runs';
import { PlanResults } from './plan-results';
import { SavedSimulations } from './saved-simulations';
import { SimulatorInputs } from './simulator-inputs';

/** How long typing may pause (a threshold, a stratum's bounds) before the audience is read again. */
const SCAN_DELAY_MS = 350;

/**
 * The simulator: the inputs on the left (scrolling on their own), the answers on the right.
 * A change of audience, metric, covariate or strata reads the audience again (a long
 * operation, with progress and Cancel); every other change recomputes the closed form at
 * once, in this window.
 */
export function SimulatorView({ pickAudience }: { pickAudience: boolean }) {
  const sim = useApp(selectSimulator);
  const fields = useApp(simulatorFields);
  const scanning = useApp(selectOperationOf('simulate/scan')) !== null;
  const { scanSimulation } = useActions();
  const view = useMemo(() => simulatorView(sim, fields), [sim, fields]);
  const key = view.source.source ? sourceKey(view.source.source) : null;

  useEffect(() => {
    if (key === null) return undefined;
    const timer = setTimeout(() => void scanSimulation(), SCAN_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, scanSimulation]);

  const { scan } = sim;
  const settings = view.settings.settings;
  const ready = view.source.source !== null && settings !== null && view.scanCurrent;
  // A plan that says why nothing can be computed (an empty group, a metric that does not vary) has nothing to replicate or balance either.
  const planBlocked = view.plan !== null && view.plan.problems.length > 0;
  const splitBlocked = view.plan !== null && (view.plan.sizes.control === 0 || view.plan.sizes.test === 0);
  const sourceProblems = Object.values(view.source.problems);

  return (
    <div className="simulator" data-testid="simulator">
      <aside className="sim-inputs" aria-label="Simulation settings">
        <SimulatorInputs form={sim.form} fields={fields} source={view.source} settings={view.settings} audienceSize={scan?.audience.size ?? null} pickAudience={pickAudience} />
      </aside>
      <div className="sim-results" aria-label="Simulation results" role="region">
        <ScanProgress />
        {sim.scanError && (
          <p className="callout callout-error" role="alert" data-testid="sim-scan-error">
            {sim.scanError}
          </p>
        )}
        {!scan && !scanning && !sim.scanError && (
          <p className="empty-note sim-empty">{sourceProblems[0] ?? 'Choose what to simulate on the left.'}</p>
        )}
        {scan && !view.scanCurrent && view.source.source === null && sim.opened === null && (
          <p className="callout callout-info" role="status">
            The figures below are for the settings read before: {sourceProblems[0] ?? 'finish the settings on the left.'}
          </p>
        )}
        {scan && settings === null && (
          <p className="callout callout-warning" role="status" data-testid="sim-settings-problem">
            Correct the settings on the left to see the answers: {Object.values(view.settings.problems)[0] ?? view.settings.lcgProblems.percent ?? view.settings.lcgProblems.limit ?? 'a value is not valid.'}
          </p>
        )}
        {scan && (scan.metric.missing > 0 || scan.covariate?.missing) ? (
          <p className="field-hint">
            {scan.metric.missing > 0 ? `${scan.metric.missing.toLocaleString('en-US')} profiles have no ${scan.metric.field} and count as ${scan.metric.kind === 'binary' ? 'no' : '0'}. ` : ''}
            {scan.covariate && scan.covariate.missing > 0 ? `${scan.covariate.missing.toLocaleString('en-US')} have no ${scan.covariate.field}.` : ''}
          </p>
        ) : null}
        {scan && settings && view.plan && <PlanResults scan={scan} plan={view.plan} settings={settings} />}
        {scan && settings && (
          <>
            <MonteCarloSection
              form={sim.form}
              result={view.monteCarlo?.result ?? null}
              stale={view.monteCarloStale}
              error={sim.monteCarloError}
              repsProblem={view.repsProblem}
              ready={ready && !planBlocked}
              blocked={planBlocked}
              alpha={settings.alpha}
              binary={scan.metric.kind === 'binary'}
            />
            <BalanceSection scan={scan} result={view.balance?.result ?? null} stale={view.balanceStale} error={sim.balanceError} ready={ready && !splitBlocked} blocked={splitBlocked} seed={settings.seed} />
          </>
        )}
        {sim.form.audience && <SavedSimulations saved={sim.saved} opened={sim.opened} canSave={ready && view.plan !== null} forCampaign={sim.form.audience.kind === 'campaign'} />}
      </div>
    </div>
  );
}
