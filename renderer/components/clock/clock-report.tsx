import { memo } from 'react';
import type { ClockItem, ClockStepReport } from '../../../shared/contract/clock';
import { formatClock, formatCount } from '../../../shared/format';

/**
 * Things on the clock in time order: when, what, a count where known, and what it does or did.
 * Memoised: the dialog renders again on every progress event of a running advance, and a
 * plan of hundreds of rows drawn again each time would freeze the window.
 */
export const ClockItemsTable = memo(function ClockItemsTable({ items, label, testId, countLabel }: { items: readonly ClockItem[]; label: string; testId: string; countLabel: string }) {
  return (
    // A region of its own that scrolls, reachable by keyboard (a long plan must not push the buttons away).
    <div className="clock-items-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="data-table clock-items" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col" className="numeric">
              {countLabel}
            </th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => (
            <tr key={`${item.at}-${item.kind}-${i}`} data-testid="clock-item">
              <td className="cell-nowrap">{formatClock(item.at)}</td>
              <td className="cell-wrap cell-strong">{item.title}</td>
              <td className="numeric">{item.count === null ? <span className="cell-muted">—</span> : formatCount(item.count)}</td>
              <td className="cell-wrap cell-muted">{item.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

/** Each step of an advance: what ran, then the campaigns whose audience changed, with their sizes at its end. */
export function StepReports({ steps }: { steps: readonly ClockStepReport[] }) {
  return (
    <div className="clock-report" role="region" aria-label="What ran, step by step" tabIndex={0} data-testid="clock-report">
      {steps.map((step, index) => (
        <section key={step.from} className="clock-step" aria-label={`Step ${index + 1}`} data-testid="clock-step">
          <h3 className="section-title clock-heading">
            {steps.length > 1 ? `Step ${index + 1} of ${steps.length}: ` : ''}
            {formatClock(step.from)} → {formatClock(step.to)}
          </h3>
          {step.items.length === 0 ? (
            <p className="empty-note">Nothing fell due.</p>
          ) : (
            <ol className="clock-step-items">
              {step.items.map((item, i) => (
                <li key={`${item.at}-${i}`} data-testid="clock-item">
                  <span className="cell-muted">{formatClock(item.at)}</span> <span className="cell-strong">{item.title}</span>
                  {item.count !== null && <span className="cell-muted"> ({formatCount(item.count)})</span>} — {item.detail}
                </li>
              ))}
            </ol>
          )}
          {step.campaigns.length > 0 && (
            <table className="data-table clock-campaigns" aria-label={`Campaigns in step ${index + 1}`} data-testid="clock-campaigns">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col" className="numeric">
                    Test
                  </th>
                  <th scope="col" className="numeric">
                    LCG
                  </th>
                  <th scope="col" className="numeric">
                    Joined
                  </th>
                  <th scope="col" className="numeric">
                    Left
                  </th>
                </tr>
              </thead>
              <tbody>
                {step.campaigns.map((c) => (
                  <tr key={c.campaignId}>
                    <td className="cell-wrap">{c.name}</td>
                    <td className="numeric">{formatCount(c.test)}</td>
                    <td className="numeric">{formatCount(c.control)}</td>
                    <td className="numeric">{formatCount(c.joined)}</td>
                    <td className="numeric">{formatCount(c.left)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
