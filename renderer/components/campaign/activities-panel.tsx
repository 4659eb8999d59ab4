import { Fragment, useState } from 'react';
import type { Activity, ActivityRun, Campaign } from '../../../shared/contract/index';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/index';
import { leftOutText } from '../../../shared/domain/left-out';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { ACTIVITY_STATUS_LABELS, launchCheck, moveRefusal, runRefusal, selectActivitiesLoaded, selectActivitiesOf, stopCheck } from '../../store/activities/selectors';
import { describeTiming } from '../../../shared/domain/activity-timing';
import { RUN_KIND_LABELS } from '../../../shared/domain/activity-timing';
import { timingFacts } from '../../store/activities/timing';
import { campaignChecks } from '../../store/campaigns/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegment, selectSegments } from '../../store/segments/selectors';
import { CheckedButton } from '../common/checked-button';
import { ActivityDialog } from './activity-dialog';
import { AttachDialog, MoveDialog } from './activity-move-dialogs';
import { LaunchDialog } from './launch-dialog';
import { RunRecipientsDialog } from './run-recipients-dialog';

type Open = { kind: 'launch'; activity: Activity } | { kind: 'create' } | { kind: 'edit'; activity: Activity } | { kind: 'move'; activity: Activity } | { kind: 'attach' } | { kind: 'run'; activity: Activity; run: ActivityRun } | null;

/** The campaign's activities with their timing on the clock and their runs: create, attach, edit, move, delete, launch, stop, run now. */
export function ActivitiesPanel({ campaign }: { campaign: Campaign }) {
  const activities = useApp(selectActivitiesOf(campaign.id));
  const loaded = useApp(selectActivitiesLoaded(campaign.id));
  const segment = useApp(selectSegment(campaign.segmentId));
  const segments = useApp(selectSegments);
  const busy = useApp(selectIsBusy);
  const clock = useApp((s) => (s.project.open ? s.project.clock : ''));
  const { runActivity, deleteActivity, stopActivity } = useActions();
  const [open, setOpen] = useState<Open>(null);
  const [expanded, setExpanded] = useState<number | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const checks = campaignChecks(campaign, segment);
  const segmentName = (id: number | null) => (id === null ? 'Whole audience' : (segments.find((s) => s.id === id)?.name ?? `Segment #${id}`));

  const run = async (activity: Activity) => {
    setRefusal(null);
    const result = await runActivity(activity);
    if (result) setExpanded(activity.id);
  };

  return (
    <div className="activities-panel">
      <div className="panel-toolbar" role="toolbar" aria-label="Activities">
        <CheckedButton label="New activity…" tone="primary" check={checks.addActivity} onClick={() => setOpen({ kind: 'create' })} onRefused={setRefusal} />
        <CheckedButton label="Attach existing…" check={checks.addActivity} onClick={() => setOpen({ kind: 'attach' })} onRefused={setRefusal} />
        <span className="field-hint">
          Recipients are the campaign's Test group (and its LCG, for an activity that ignores it), narrowed by the activity's own segment; subscribed
          profiles only, unless a transactional activity ignores subscription.
        </span>
      </div>
      {refusal && (
        <p className="callout callout-warning" role="status" data-testid="activity-refusal">
          {refusal}
        </p>
      )}
      {!loaded && <p className="empty-note">Loading…</p>}
      {loaded && activities.length === 0 && (
        <p className="empty-note">No activities yet. A campaign needs at least one before it can be activated.</p>
      )}
      {activities.length > 0 && (
        <div className="table-scroll">
          <table className="data-table activities-table" aria-label="Activities">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Segment</th>
                <th scope="col">LCG</th>
                <th scope="col">Expansion</th>
                <th scope="col">Timing</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Runs
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {activities.map((a) => (
                <Fragment key={a.id}>
                  <tr className={expanded === a.id ? 'row-expanded' : undefined}>
                    <td>
                      <button
                        type="button"
                        className="link-button expander"
                        aria-expanded={expanded === a.id}
                        onClick={() => setExpanded(expanded === a.id ? null : a.id)}
                      >
                        <span className="expander-mark" aria-hidden="true">
                          {expanded === a.id ? '▾' : '▸'}
                        </span>
                        <span className="name-clamp" title={a.name}>
                          {a.name}
                        </span>
                      </button>
                      {a.type === 'ab_test' && a.variants.length > 0 && (
                        <span className="cell-muted"> · {a.variants.map((v) => `${v.name}\u00a0${v.percent}\u00a0%`).join(' / ')}</span>
                      )}
                    </td>
                    <td className="cell-wrap">{ACTIVITY_TYPE_LABELS[a.type]}</td>
                    <td className={a.segmentId === null ? 'cell-wrap cell-muted' : 'cell-wrap'}>{segmentName(a.segmentId)}</td>
                    <td>
                      {a.ignoreLcg ? <span className="badge badge-warning">Ignores the LCG</span> : <span className="cell-muted">Test only</span>}
                      {a.ignoreSubscription && <span className="badge badge-warning">Ignores subscription</span>}
                    </td>
                    <td className={a.audienceExpansion ? undefined : 'cell-muted'}>{a.audienceExpansion ? 'On' : 'Off'}</td>
                    <td className="cell-wrap" data-testid="activity-timing">
                      {a.timing === null ? (
                        <span className="cell-muted">Not launched: runs by hand only</span>
                      ) : (
                        <span className="timing-cell">
                          <span>{describeTiming(a.timing)}</span>
                          {timingFacts(a, clock).map((fact) => (
                            <span key={fact} className="cell-muted">
                              {fact}
                            </span>
                          ))}
                        </span>
                      )}
                    </td>
                    <td className="cell-wrap">
                      {ACTIVITY_STATUS_LABELS[a.status]}
                      {a.launched && <span className="cell-muted"> · launched</span>}
                      {a.notRunning !== null && (
                        <span className="not-running" data-testid="activity-not-running">
                          {/* Before the first activation nothing runs yet: no alarm, only the sentence. */}
                          {(campaign.activatedClock !== null || campaign.status !== 'inactive') && <span className="badge badge-warning">Not running</span>}{' '}
                          <span className={campaign.activatedClock === null && campaign.status === 'inactive' ? 'cell-muted' : undefined}>{a.notRunning}</span>
                        </span>
                      )}
                    </td>
                    <td className="numeric">{formatCount(a.runs.length)}</td>
                    <td className="cell-actions">
                      <div className="row-actions" role="group" aria-label={`Actions for ${a.name}`}>
                        <CheckedButton
                          label="Run now"
                          tone="primary"
                          small
                          busy={busy}
                          check={!checks.runActivity.allowed || runRefusal(a) === null ? checks.runActivity : { allowed: false, reason: runRefusal(a) ?? '' }}
                          onClick={() => void run(a)}
                          onRefused={setRefusal}
                        />
                        {a.timing === null ? (
                          <CheckedButton label="Launch…" small check={launchCheck(a, campaign)} onClick={() => setOpen({ kind: 'launch', activity: a })} onRefused={setRefusal} />
                        ) : (
                          <CheckedButton label="Stop" small busy={busy} check={stopCheck(a)} onClick={() => void stopActivity(a)} onRefused={setRefusal} />
                        )}
                        <CheckedButton label="Edit…" small check={checks.edit} onClick={() => setOpen({ kind: 'edit', activity: a })} onRefused={setRefusal} />
                        <CheckedButton
                          label="Move…"
                          small
                          check={moveRefusal(a, campaign) === null ? { allowed: true } : { allowed: false, reason: moveRefusal(a, campaign) ?? '' }}
                          onClick={() => setOpen({ kind: 'move', activity: a })}
                          onRefused={setRefusal}
                        />
                        <CheckedButton
                          label="Delete…"
                          tone="danger"
                          small
                          check={a.launched ? { allowed: false, reason: 'An activity that has run cannot be deleted; move it out to the external list instead.' } : checks.removeActivity}
                          onClick={() => void deleteActivity(a)}
                          onRefused={setRefusal}
                        />
                      </div>
                    </td>
                  </tr>
                  {expanded === a.id && (
                    <tr className="detail-row">
                      <td colSpan={9}>
                        <RunsTable activity={a} onRecipients={(r) => setOpen({ kind: 'run', activity: a, run: r })} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open?.kind === 'launch' && <LaunchDialog activity={open.activity} campaign={campaign} onClose={() => setOpen(null)} />}
      {open?.kind === 'create' && <ActivityDialog campaign={campaign} activity={null} onClose={() => setOpen(null)} />}
      {open?.kind === 'edit' && <ActivityDialog campaign={campaign} activity={open.activity} onClose={() => setOpen(null)} />}
      {open?.kind === 'move' && <MoveDialog activity={open.activity} campaign={campaign} onClose={() => setOpen(null)} />}
      {open?.kind === 'attach' && <AttachDialog campaign={campaign} onClose={() => setOpen(null)} />}
      {open?.kind === 'run' && <RunRecipientsDialog activity={open.activity} run={open.run} campaign={campaign} onClose={() => setOpen(null)} />}
    </div>
  );
}

function RunsTable({ activity, onRecipients }: { activity: Activity; onRecipients: (run: ActivityRun) => void }) {
  if (activity.runs.length === 0) {
    return (
      <p className="empty-note">
        Not run yet. Run now records who would receive it at the project clock's time; once launched, it runs by itself as the clock is advanced.
      </p>
    );
  }
  const runs = [...activity.runs].sort((a, b) => b.id - a.id);
  return (
    <table className="data-table runs-table" aria-label={`Runs of ${activity.name}`}>
      <thead>
        <tr>
          <th scope="col">Project clock</th>
          <th scope="col">Why</th>
          <th scope="col" className="numeric">
            Messages
          </th>
          <th scope="col" className="numeric">
            Test
          </th>
          <th scope="col" className="numeric">
            LCG
          </th>
          <th scope="col" className="numeric">
            Added by expansion
          </th>
          <th scope="col">Left out</th>
          {activity.type === 'ab_test' && <th scope="col">Variants</th>}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-testid="run-row">
            <td className="cell-nowrap">{formatClock(r.clock)}</td>
            <td className="cell-wrap" data-testid="run-kind">
              {RUN_KIND_LABELS[r.kind]}
              {r.window && (
                <span className="cell-muted">
                  {' '}
                  · from <span className="cell-nowrap">{formatClock(r.window.from)}</span> to <span className="cell-nowrap">{formatClock(r.window.to)}</span>
                </span>
              )}
            </td>
            <td className="numeric" data-testid="run-messages">
              {formatCount(r.messages)}
            </td>
            <td className="numeric" data-testid="run-test">
              {formatCount(r.test)}
            </td>
            <td className="numeric" data-testid="run-control">
              {formatCount(r.control)}
            </td>
            <td className="numeric">{formatCount(r.expanded)}</td>
            <td className="cell-wrap" data-testid="run-left-out">
              {r.leftOut === null ? <span className="cell-muted">not counted</span> : leftOutText(r.leftOut) || <span className="cell-muted">nobody</span>}
            </td>
            {activity.type === 'ab_test' && (
              <td>
                {Object.entries(r.variants)
                  .map(([name, n]) => `${name}: ${formatCount(n)}`)
                  .join(' · ')}
              </td>
            )}
            <td className="cell-actions">
              <button
                type="button"
                className="button button-plain button-small"
                title={countOf(r.test + r.control, 'recipient')}
                onClick={() => onRecipients(r)}
              >
                Recipients…
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
