/**
 * The stratum editor in the browser UI, on the demo project: a percent field says what is
 * wrong with -1, the dialog names the wrong setting, the guide's example (gender x two named
 * birth-date intervals typed 01.01.2000 style) lists its strata with the engine's words,
 * and the campaign's strata table shows exactly the labels the engine gives.
 */
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { useBrowserSession } from './helpers/session';
import { CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

describe('stratification in the New campaign dialog', () => {
  it("says what is wrong, lists the guide's strata with the engine's labels, and the strata table shows the same", { timeout: 240_000 }, async () => {
    const { page, server } = session();
    const { project } = await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('no database');
    await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });

    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await campaigns.newButton.click();
    const dialog = new CampaignDialog(page);
    await dialog.waitUntilShown();
    await dialog.name.fill('Guide example');

    // A wrong share is said once, under the field (its description); the size beside it waits.
    const shareProblem = async (text: string) => {
      await waitForText(dialog.percent.locator('xpath=following-sibling::*[contains(@class, "field-error")]'), text);
      expect(await dialog.percent.evaluate((input) => input.getAttribute('aria-describedby') !== null && input.getAttribute('aria-invalid') === 'true')).toBe(true);
      await waitForText(dialog.preview, 'The LCG size shows once the share and the limit are valid.');
      expect(await dialog.dialog.getByText(text).count()).toBe(1);
    };
    await dialog.percent.fill('-1');
    await shareProblem('A percentage cannot be negative (-1); use a number from 0 to 100.');
    await dialog.percent.fill('10.555');
    await shareProblem('A percentage has at most two decimals, such as 7.25 (not 10.555).');
    await dialog.percent.fill('10');
    await waitForText(dialog.preview, /^LCG 5,000 of 50,000/);

    await dialog.addStratum.selectOption({ label: 'gender' });
    await dialog.addStratum.selectOption({ label: 'birth_date' });
    await dialog.stratumKind('birth_date').selectOption('intervals');
    const born = dialog.dialog.getByRole('group', { name: 'Stratification by birth_date' });
    await born.getByRole('textbox', { name: 'Name of interval 1' }).fill('Young');
    await born.getByRole('textbox', { name: 'Interval 1 from' }).fill('01.01.2000');
    await born.getByRole('textbox', { name: 'Interval 1 to' }).fill('01.01.2005');
    await born.getByRole('button', { name: 'Add an interval' }).click();
    await born.getByRole('textbox', { name: 'Name of interval 2' }).fill('Adult');
    await born.getByRole('textbox', { name: 'Interval 2 from' }).fill('01.01.1985');
    // Overlapping first: the editor says so, in the engine's words.
    await born.getByRole('textbox', { name: 'Interval 2 to' }).fill('31.12.2000');
    await waitForText(born.getByRole('alert'), 'The intervals "Adult" and "Young" of "birth_date" overlap; a value can be in one only.');
    await waitForText(dialog.preview, 'Stratification by birth_date: The intervals "Adult" and "Young" of "birth_date" overlap; a value can be in one only.');
    await born.getByRole('textbox', { name: 'Interval 2 to' }).fill('31.12.1999');
    await waitForText(born.getByTestId('stratum-labels'), 'Strata: birth_date: Young · birth_date: Adult · birth_date: Other. “Other” and “(no value)” show only when profiles fall in them.');
    await dialog.seed.fill('guide');
    // Enter submits (the dialog's own layout is another test's concern).
    await dialog.seed.press('Enter');
    await dialog.dialog.waitFor({ state: 'detached' });

    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Guide example');
    const list = await engineCall(server, 'campaign/list', {});
    const created = list.find((c) => c.name === 'Guide example');
    if (!created) throw new Error('campaign missing');
    const detail = await engineCall(server, 'campaign/get', { campaignId: created.id });
    expect(detail.campaign.lcg.strata[1]).toMatchObject({ kind: 'intervals', intervals: [{ from: '2000-01-01', to: '2005-01-01' }, { from: '1985-01-01', to: '1999-12-31' }] });
    const labels = detail.strata.map((s) => s.label);
    for (const g of ['female', 'male']) for (const b of ['Young', 'Adult']) expect(labels).toContain(`gender = ${g} · birth_date: ${b}`);
    const rows = await campaign.strataRows();
    expect(rows.map((r) => r[0]!.replace(/below 1$/, '')).sort()).toEqual(labels.slice(0, 25).sort());
  });
});
