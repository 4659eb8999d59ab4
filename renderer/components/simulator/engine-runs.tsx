import type { SimBalance, SimMonteCarlo, SimRate, SimScan } from '../../../shared/contract/index';
import { formatChange, formatCount, formatShare } from '../../../shared/format';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import type { SimulatorForm } from '../../store/simulator/form';
import { balanceTable, chanceImbalanceTable, chiSquareTable, differenceText, falsePositiveDetail } from '../../store/simulator/tables';
import { RunProgress } from '../feedback/run-progress';
import { TextField } from '../common/text-field';
import { HistogramChart } from './plan-charts';
import { ResultTable } from './result-table';

/** Under a run's button: why it cannot run, its progress, its error, and whether its results are out of date. */
function RunStatus({ method, label, blocked, error, stale }: { method: 'simulate/monteCarlo' | 'simulate/balance'; label: string; blocked: string | null; error: string | null; stale: string | null }) {
  return (
    <>
      {blocked && <p className="field-hint">{blocked}</p>}
      <RunProgress method={method} label={label} />
      {error && (
        <p className="callout callout-warning" role="status">
          {error}
        </p>
      )}
      {stale && <p className="field-hint">{stale}</p>}
    </>
  );
}

export function ScanProgress() {
  return <RunProgress method="simulate/scan" label="reading the audience" />;
}

const rateText = (r: SimRate) => `${formatShare(r.rate)} (95 % interval ${formatShare(r.interval95[0])}–${formatShare(r.interval95[1])})`;

interface MonteCarloProps {
  readonly form: SimulatorForm;
  readonly result: SimMonteCarlo | null;
  readonly stale: boolean;
  readonly error: string | null;
  readonly repsProblem: string | null;
  readonly ready: boolean;
  /** These settings give nothing to replicate (the answer above says why, in the sentence's place). */
  readonly blocked: boolean;
  readonly alpha: number | null;
  /** The metric is a rate (its differences read in percentage points). */
  readonly binary: boolean;
}

/** K replicates of the exact split on the audience's own values: A/A false positives, empirical power, chance imbalance. */
export function MonteCarloSection({ form, result, stale, error, repsProblem, ready, blocked, alpha, binary }: MonteCarloProps) {
  const { editSimulator, runMonteCarlo } = useActions();
  const running = useApp(selectOperationOf('simulate/monteCarlo')) !== null;
  const canRun = ready && repsProblem === null && !running;
  return (
    <section className="panel" aria-labelledby="sim-mc-title" data-testid="sim-monte-carlo">
      <h3 id="sim-mc-title" className="panel-title">
        Monte Carlo on the real split
      </h3>
      <p className="section-note">
        The exact stratified split is drawn again and again on this audience’s own values: how often an A/A test rejects at α, and how often a
        real effect is found.
      </p>
      {/* A form, so Enter in the replicates field runs it as the button does. */}
      <form
        className="inline-actions sim-run"
        onSubmit={(e) => {
          e.preventDefault();
          if (canRun) void runMonteCarlo();
        }}
      >
        <TextField label="Replicates" error={repsProblem} value={form.repsText} inputMode="numeric" className="field-narrow" onChange={(e) => editSimulator({ repsText: e.target.value })} />
        <button type="submit" className="button button-primary" disabled={!canRun}>
          Run Monte Carlo
        </button>
      </form>
      <RunStatus
        method="simulate/monteCarlo"
        label="the Monte Carlo run"
        blocked={blocked ? 'Nothing to run with these settings: the answer above says why.' : null}
        error={error}
        stale={stale && !running ? 'The settings changed after the last run: run it again to see results for these.' : null}
      />
      {result && <MonteCarloResults mc={result} alpha={alpha} binary={binary} />}
    </section>
  );
}

function MonteCarloResults({ mc, alpha, binary }: { mc: SimMonteCarlo; alpha: number | null; binary: boolean }) {
  const fp = mc.aa.falsePositive;
  return (
    <div className="sim-mc-results" data-testid="sim-mc-results">
      <dl className="sim-figures">
        <div className="sim-figure">
          <dt>A/A false positives</dt>
          <dd className="sim-figure-value" data-testid="sim-mc-false-positive">
            {formatShare(fp.rate)}
          </dd>
          <dd className="sim-figure-detail">{falsePositiveDetail(mc, alpha)}</dd>
        </div>
        {mc.effect && (
          <div className="sim-figure">
            <dt>Power at {formatChange(mc.effect.effect)}</dt>
            <dd className="sim-figure-value" data-testid="sim-mc-power">
              {formatShare(mc.effect.power.rate)}
            </dd>
            <dd className="sim-figure-detail">
              Empirical {rateText(mc.effect.power)}; closed form {formatShare(mc.effect.closedFormPower)}
            </dd>
          </div>
        )}
        <div className="sim-figure">
          <dt>Replicates</dt>
          <dd className="sim-figure-value">{formatCount(mc.reps)}</dd>
          <dd className="sim-figure-detail">
            Test {formatCount(mc.test)} · LCG {formatCount(mc.control)} · seed “{mc.seed}” · {(mc.durationMs / 1000).toFixed(1)} s
          </dd>
        </div>
      </dl>
      {!mc.effect && <p className="field-hint">Type a true effect to see the empirical power next to the closed form.</p>}
      <div className="sim-charts">
        <HistogramChart
          title="A/A: Test − LCG differences"
          name="simulation-aa-histogram"
          histogram={mc.aa.histogram}
          marker={0}
          binary={binary}
          summary={`Mean ${differenceText(binary, mc.aa.meanDifference)}, SD ${differenceText(binary, mc.aa.sdDifference)} across ${formatCount(mc.reps)} replicates: centred on 0, as it should be without an effect.`}
          testId="sim-aa-histogram"
        />
        {mc.effect && (
          <HistogramChart
            title={`With a ${formatChange(mc.effect.effect)} effect`}
            name="simulation-effect-histogram"
            histogram={mc.effect.histogram}
            binary={binary}
            marker={0}
            summary={`${formatShare(mc.effect.power.rate)} of the replicates rejected “no effect”.`}
            testId="sim-effect-histogram"
          />
        )}
      </div>
      {mc.balance.length > 0 && <ResultTable table={chanceImbalanceTable(mc)} note="How often each field would look imbalanced (|SMD| > 0.1) by chance alone, across the replicates of this split." />}
    </div>
  );
}

interface BalanceProps {
  readonly scan: SimScan;
  readonly result: SimBalance | null;
  readonly stale: boolean;
  readonly error: string | null;
  readonly ready: boolean;
  /** The split has an empty group (the answer above says so). */
  readonly blocked: boolean;
  readonly seed: string;
}

/** The balance of the split for this seed: SMD per field (|SMD| > 0.1 flagged) and chi-square per categorical field. */
export function BalanceSection({ result, stale, error, ready, blocked, seed }: BalanceProps) {
  const { checkBalance } = useActions();
  const running = useApp(selectOperationOf('simulate/balance')) !== null;
  return (
    <section className="panel" aria-labelledby="sim-balance-title" data-testid="sim-balance">
      <h3 id="sim-balance-title" className="panel-title">
        Balance
      </h3>
      <p className="section-note">
        How alike Test and LCG are for the seed “{seed}”, field by field. A chance imbalance is expected now and then; the split is not drawn again
        until it looks balanced, since that would invalidate the usual inference.
      </p>
      <div className="inline-actions sim-run">
        <button type="button" className="button button-primary" disabled={!ready || running} onClick={() => void checkBalance()}>
          Check the balance
        </button>
      </div>
      <RunStatus
        method="simulate/balance"
        label="the balance check"
        blocked={blocked ? 'Nothing to check with these settings: the answer above says why.' : null}
        error={error}
        stale={stale && !running ? 'The split changed after the last check: check it again.' : null}
      />
      {result && (
        <>
          <p className="field-hint">
            Test {formatCount(result.test)} · LCG {formatCount(result.control)} · {formatCount(result.rows.filter((r) => r.flagged).length)} of {formatCount(result.rows.length)} rows with
            |SMD| &gt; 0.1
          </p>
          <ResultTable table={balanceTable(result)} testId="sim-balance-table" note="SMD: the difference of the means in pooled standard deviations; rows over 0.1 are marked." />
          {result.chiSquare.length > 0 && <ResultTable table={chiSquareTable(result)} testId="sim-chi-square" note="Without expected counts of at least 5 in every cell, no p-value is given (the note says so)." />}
          {result.skipped.length > 0 && (
            <p className="field-hint">Not checked: {result.skipped.map((s) => `${s.field} (${s.reason})`).join('; ')}.</p>
          )}
        </>
      )}
    </section>
  );
}
