import { useEffect, useState } from 'react';
import type { CampaignDetail, Field, LcgChangePreview } from '../../../shared/contract/index';
import { draftFromLcg, hasProblems, lcgFromDraft, sameLcg, type LcgDraft } from '../../store/campaigns/lcg-draft';
import { campaignChecks } from '../../store/campaigns/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegment } from '../../store/segments/selectors';
import { LcgEditor } from '../campaigns/lcg-editor';
import { StratificationWarningBox } from './stratification-warning';
import { StrataTable } from './strata-table';

/** How long typing may pause before the engine is asked what the change would do. */
const PREVIEW_DELAY_MS = 350;

const KIND_TEXT: Readonly<Record<LcgChangePreview['kind'], string>> = {
  none: 'Nothing changes.',
  first: 'The settings apply when the audience is first built.',
  quota: 'The LCG size changes: only new profiles may enter the LCG, nobody already assigned moves.',
  removed: 'The LCG is removed: everybody moves to Test.',
  fields: 'The stratification fields change: the whole LCG moves to Test and is formed again from new profiles.',
  values: 'Values inside the stratification fields change.',
};

/** The LCG settings: edited with a live preview of the engine's consequences, then applied after confirmation. */
export function LcgPanel({ detail, fields }: { detail: CampaignDetail; fields: readonly Field[] }) {
  const { campaign } = detail;
  const segment = useApp(selectSegment(campaign.segmentId));
  const busy = useApp(selectIsBusy);
  const { previewLcg, changeLcg } = useActions();
  const [draft, setDraft] = useState<LcgDraft>(() => draftFromLcg(campaign.lcg));
  const [preview, setPreview] = useState<LcgChangePreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const savedKey = JSON.stringify(campaign.lcg);
  useEffect(() => {
    setDraft(draftFromLcg(JSON.parse(savedKey) as CampaignDetail['campaign']['lcg']));
  }, [savedKey]);

  const { lcg, problems } = lcgFromDraft(draft, fields);
  const changed = lcg !== null && !sameLcg(lcg, campaign.lcg);
  const check = campaignChecks(campaign, segment).changeLcg;
  const lcgKey = lcg === null ? null : JSON.stringify(lcg);

  useEffect(() => {
    if (lcgKey === null || !changed) {
      setPreview(null);
      return undefined;
    }
    let live = true;
    setPreviewing(true);
    const timer = setTimeout(() => {
      void previewLcg(campaign.id, JSON.parse(lcgKey) as CampaignDetail['campaign']['lcg']).then((p) => {
        if (!live) return;
        setPreview(p);
        setPreviewing(false);
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [lcgKey, changed, campaign.id, previewLcg]);

  const audience = campaign.groups.total > 0 ? campaign.groups.total : (segment?.size ?? null);
  const previewAudience = preview ? preview.strata.reduce((n, s) => n + s.size, 0) : (audience ?? 0);

  return (
    <div className="lcg-panel">
      <section className="panel" aria-labelledby="lcg-title">
        <h3 id="lcg-title" className="panel-title">
          Local control group
        </h3>
        {!check.allowed && (
          <p className="callout callout-info" role="status">
            {check.reason}
          </p>
        )}
        <LcgEditor
          draft={draft}
          onChange={setDraft}
          fields={fields}
          problems={problems}
          audience={audience}
          audienceNote={campaign.groups.total > 0 ? 'the current audience' : 'the segment, before the GCG'}
          disabled={!check.allowed}
        />
        <div className="inline-actions lcg-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={!check.allowed || busy || !changed || hasProblems(problems) || lcg === null}
            onClick={() => lcg && void changeLcg(campaign.id, lcg)}
          >
            Apply…
          </button>
          <button type="button" className="button button-plain" disabled={!changed && lcg !== null} onClick={() => setDraft(draftFromLcg(campaign.lcg))}>
            Undo changes
          </button>
          {previewing && <span className="field-hint">Asking the engine what the change does…</span>}
        </div>
      </section>
      {preview && changed && (
        <section className="panel" aria-labelledby="lcg-preview-title" data-testid="lcg-change-preview">
          <h3 id="lcg-preview-title" className="panel-title">
            What the change does
          </h3>
          <p className="cell-strong">{KIND_TEXT[preview.kind]}</p>
          {preview.consequences.length > 0 && (
            <ul className="consequences">
              {preview.consequences.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
          {preview.homogeneityWarning && (
            <p className="callout callout-warning" role="status">
              Changing values inside the stratification fields may break the homogeneity of the LCG: profiles already in it were chosen by
              the old strata.
            </p>
          )}
          {preview.warning && lcg && (
            <StratificationWarningBox warning={preview.warning} lcg={lcg} audience={previewAudience} onApply={(next) => setDraft(draftFromLcg(next))} />
          )}
          {preview.strata.length > 0 && <StrataTable strata={preview.strata} label="Strata with the new settings" membersStay={preview.kind !== 'first'} />}
        </section>
      )}
      {!changed && detail.warning && (
        <StratificationWarningBox warning={detail.warning} lcg={campaign.lcg} audience={previewAudience} onApply={(next) => setDraft(draftFromLcg(next))} />
      )}
    </div>
  );
}
