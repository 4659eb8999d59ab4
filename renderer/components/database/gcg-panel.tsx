import { useEffect, useState, type FormEvent } from 'react';
import { MAX_SEED, type DatabaseDetail, type GcgState } from '../../../shared/contract/index';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { selectCampaigns } from '../../store/campaigns/selectors';
import { gcgExactSize, percentProblem, seedProblem, selectGcg } from '../../store/gcg/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { TextField } from '../common/text-field';
import { ProfileBrowser } from '../profiles/profile-browser';

/** A database's global control group: share and seed, size, exempt campaigns, members. */
export function GcgPanel({ detail }: { detail: DatabaseDetail }) {
  const gcg = useApp(selectGcg(detail.id));
  const { loadGcg, openExportDialog } = useActions();
  useEffect(() => {
    void loadGcg(detail.id);
  }, [detail.id, detail.profileCount, loadGcg]);
  if (!gcg) return <p className="empty-note">Loading…</p>;
  return (
    <div className="gcg-panel">
      <div className="gcg-top">
        <GcgSettings gcg={gcg} databaseName={detail.name} />
        <ExemptCampaigns gcg={gcg} />
      </div>
      <section className="gcg-members" aria-labelledby="gcg-members-title">
        <h3 id="gcg-members-title" className="panel-title">
          Members
        </h3>
        <ProfileBrowser
          databaseId={detail.id}
          source={{ kind: 'gcg' }}
          label="Global control group members"
          emptyText={gcg.percent === 0 ? 'The database has no global control group.' : 'The global control group has no members.'}
          toolbar={
            <button
              type="button"
              className="button button-plain"
              disabled={gcg.size === 0}
              onClick={() => openExportDialog(detail.id, { scope: { kind: 'gcg' }, subject: detail.name })}
            >
              Export members…
            </button>
          }
        />
      </section>
    </div>
  );
}

function GcgSettings({ gcg, databaseName }: { gcg: GcgState; databaseName: string }) {
  const { setGcg } = useActions();
  const busy = useApp(selectIsBusy);
  const [percent, setPercent] = useState(gcg.percent === 0 ? '' : String(gcg.percent));
  const [seed, setSeed] = useState(gcg.seed);
  useEffect(() => {
    setPercent(gcg.percent === 0 ? '' : String(gcg.percent));
    setSeed(gcg.seed);
  }, [gcg.percent, gcg.seed]);
  const percentText = percent.trim() === '' ? '0' : percent;
  const pProblem = percentProblem(percentText);
  const sProblem = seedProblem(seed);
  const changed = Number(percentText.replace(',', '.')) !== gcg.percent || (seed.trim() !== '' && seed.trim() !== gcg.seed);
  const exact = gcgExactSize(gcg);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (pProblem || sProblem || !changed) return;
    void setGcg(gcg.databaseId, percentText, seed);
  };

  return (
    <section className="panel" aria-labelledby="gcg-settings-title">
      <h3 id="gcg-settings-title" className="panel-title">
        Global control group
      </h3>
      <p className="section-note">
        A share of the profiles of {databaseName} held out of every campaign (except those exempt below), to measure the effect of all
        campaigns together. New profiles are assigned as they arrive; nobody moves once assigned.
      </p>
      <dl className="facts gcg-facts" data-testid="gcg-facts">
        <dt>Members</dt>
        <dd>
          <strong>{formatCount(gcg.size)}</strong> of {countOf(gcg.profiles, 'profile')}
          {gcg.percent > 0 && <span className="cell-muted"> ({`${gcg.percent}\u00a0%`})</span>}
          {/* Only after profiles left (surplus) or arrived does the exact share differ from the members. */}
          {gcg.percent > 0 && exact !== gcg.size && <span className="cell-muted"> · exact share {formatCount(exact)}</span>}
        </dd>
        <dt>Surplus</dt>
        <dd>
          {gcg.surplus > 0 ? (
            <span className="cell-warning" title="Members above the exact share after profiles left; nobody is moved out.">
              {countOf(gcg.surplus, 'member')} above the share
            </span>
          ) : (
            <span className="cell-muted">None</span>
          )}
        </dd>
        <dt>Formed</dt>
        <dd>{gcg.formedClock ? formatClock(gcg.formedClock) : <span className="cell-muted">Never</span>}</dd>
      </dl>
      <form className="gcg-form" onSubmit={onSubmit} noValidate>
        <TextField
          label="Share, %"
          error={percent === '' ? null : pProblem}
          value={percent}
          inputMode="decimal"
          placeholder="0 (none)"
          className="field-narrow"
          onChange={(e) => setPercent(e.target.value)}
        />
        <TextField label="Seed" error={sProblem} value={seed} limit={MAX_SEED} className="field-seed" onChange={(e) => setSeed(e.target.value)} />
        <div className="form-submit">
          <button type="submit" className="button button-primary" disabled={busy || !changed || pProblem !== null || sProblem !== null}>
            {gcg.percent === 0 ? 'Form the group' : 'Apply'}
          </button>
        </div>
      </form>
      {changed && gcg.size > 0 && (
        <p className="callout callout-warning" role="status">
          A new share or seed forms the group anew: its members are chosen again from all profiles.
        </p>
      )}
    </section>
  );
}

function ExemptCampaigns({ gcg }: { gcg: GcgState }) {
  const { setGcgExempt, navigate } = useActions();
  const campaigns = useAppShallow((s) => selectCampaigns(s).filter((c) => c.databaseId === gcg.databaseId));
  return (
    <section className="panel" aria-labelledby="gcg-exempt-title">
      <h3 id="gcg-exempt-title" className="panel-title">
        Exempt campaigns
      </h3>
      <p className="section-note">An exempt campaign keeps GCG members in its audience (transactional or service campaigns).</p>
      {campaigns.length === 0 ? (
        <p className="empty-note">No campaigns use this database yet.</p>
      ) : (
        <table className="data-table" aria-label="Campaigns and the GCG">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col">Exempt</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => {
              const exempt = gcg.exemptCampaignIds.includes(c.id);
              return (
                <tr key={c.id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => navigate({ page: 'campaign', campaignId: c.id, tab: 'overview' })}>
                      {c.name}
                    </button>
                  </td>
                  <td>
                    <span className={`status-badge status-${c.status}`}>{CAMPAIGN_STATUS_LABELS[c.status]}</span>
                  </td>
                  <td>
                    <label className="checkbox">
                      <input type="checkbox" checked={exempt} onChange={() => void setGcgExempt(c.id, gcg.databaseId, !exempt)} />
                      <span className="visually-hidden">Exempt {c.name} from the GCG</span>
                      {exempt ? 'Yes' : 'No'}
                    </label>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
