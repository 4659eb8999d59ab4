/**
 * End to end, in Chromium against the real browser-mode server, on the demo project: a
 * campaign with a 10 % LCG stratified by gender and city, activated. Its page shows the
 * engine's split fingerprint with Copy; Export as SQL previews exactly the engine's query for
 * PostgreSQL and DuckDB (and the growth query), follows the table and column names typed, and
 * Save… writes the query through the in-app file browser; that query, run on DuckDB, gives a
 * warehouse output that Verify finds identical (groups, strata, fingerprint); the app's own
 * export matches too, an edited copy does not (the differing ID shown); Check all splits
 * finds the split to be the rule's, and a file edited by another program not. Each new screen fits 1366×768, works by keyboard, and passes axe in
 * light and dark.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CampaignSqlArgs } from '../../shared/contract/warehouse';
import { formatCount } from '../../shared/format';
import Papa from 'papaparse';
import { alterProject } from '../helpers/bad-files';
import { duckdbEngine } from '../main/engine/warehouse/engines';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { expectDialogFits, LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { CampaignsPage } from './pages/campaigns-page';
import { clearNotices } from './pages/notices';
import { ProjectPage } from './pages/project-page';
import { waitForText } from './pages/wait';
import { CheckSplitsDialog, ExportSqlDialog, VerifyDialog } from './pages/warehouse-dialogs';

const session = useBrowserSession();

/** The screen as it is now, in the light and the dark theme (for a person to look at). */
async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot(page, name, scheme);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the split on the warehouse in the browser UI', () => {
  it('shows the fingerprint, exports the split as SQL, verifies a warehouse file and checks all splits; fits 1366×768, keyboard, axe light and dark', { timeout: 420_000 }, async () => {
    const { page, server, dir } = session();
    await page.setViewportSize(LAPTOP);
    await engineCall(server, 'demo/create', {});
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const { fields } = await engineCall(server, 'database/get', { databaseId: customers.id });
    const gender = fields.find((f) => f.name === 'gender');
    const city = fields.find((f) => f.name === 'city');
    if (!gender || !city) throw new Error('The demo has no gender or city field.');
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'All customers', from: { kind: 'all' } });
    const campaign = await engineCall(server, 'campaign/create', {
      name: 'Spring sale',
      databaseId: customers.id,
      segmentId: segment.id,
      seed: 'warehouse',
      lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: gender.id }, { kind: 'values', fieldId: city.id }] },
    });
    await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: campaign.id, type: 'broadcast', name: 'Hello' });
    await engineCall(server, 'campaign/activate', { campaignId: campaign.id });
    const { fingerprint } = await engineCall(server, 'warehouse/fingerprint', { campaignId: campaign.id });
    const { groups } = (await engineCall(server, 'campaign/get', { campaignId: campaign.id })).campaign;
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);

    await page.goto(server.openUrl);
    const project = new ProjectPage(page);
    await project.waitForProject('Demo project');
    const axe = new AxeSweep(page);
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const list = new CampaignsPage(page);
    const campaignPage = await list.open('Spring sale');
    await campaignPage.waitForStatus('Active');

    // The fingerprint under the name, the engine's own, with Copy and what it is.
    const shown = page.getByTestId('split-fingerprint');
    await waitForText(shown.getByTestId('fingerprint-value'), fingerprint ?? '', 15_000);
    const copyFingerprint = shown.getByRole('button', { name: 'Copy the split fingerprint' });
    expect(await copyFingerprint.getAttribute('title')).toMatch(/Two colleagues holding the same split see the same fingerprint/);
    expect(await copyFingerprint.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent)).toMatch(/same split see the same fingerprint/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await copyFingerprint.click();
    await waitForText(shown.getByRole('status'), 'Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fingerprint);
    await clearNotices(page);
    await shoot(page, '60-campaign-fingerprint');
    await axe.check('Campaign page with the split fingerprint');

    // Export as SQL: the preview is exactly the engine's query, for PostgreSQL first.
    const exportButton = campaignPage.action('Export as SQL…');
    await exportButton.click();
    const sql = new ExportSqlDialog(page);
    await sql.dialog.waitFor();
    expect(await sql.dialect.evaluate((select) => [...(select as HTMLSelectElement).options].map((o) => o.textContent))).toEqual([
      'PostgreSQL',
      'DuckDB',
      'SQLite',
      'BigQuery',
      'Snowflake',
      'ClickHouse',
      'Spark SQL',
    ]);
    expect(await sql.column('gender').inputValue()).toBe('gender');
    expect(await sql.column('city').inputValue()).toBe('city');
    expect(await sql.table.inputValue()).toBe('audience');
    expect(await sql.idColumn.inputValue()).toBe('profile_id');
    expect(await sql.assignmentTable.count()).toBe(0);
    await sql.dialog.getByText('PostgreSQL, DuckDB and SQLite are verified by the test suite', { exact: false }).waitFor();
    const args: CampaignSqlArgs = { campaignId: campaign.id, dialect: 'postgresql', kind: 'split', table: 'audience', idColumn: 'profile_id', columns: { gender: 'gender', city: 'city' } };
    const postgres = await engineCall(server, 'warehouse/sql', args);
    await sql.waitForPreview(postgres.sql);
    await expectDialogFits(page, sql.dialog, [sql.copyButton, sql.saveButton, sql.closeButton]);
    // The preview scrolls inside the dialog, by keyboard too.
    expect(await sql.preview.evaluate((pre) => pre.scrollHeight > pre.clientHeight && pre.tabIndex === 0)).toBe(true);
    expect(await sql.preview.evaluate((pre) => getComputedStyle(pre).fontFamily)).toMatch(/mono/i);
    await sql.copyButton.click();
    await waitForText(sql.dialog.getByRole('status').filter({ hasText: 'Copied.' }), 'Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(postgres.sql);
    await shoot(page, '61-export-sql-postgresql');
    await axe.check('Export as SQL (PostgreSQL)');

    // DuckDB, with the warehouse's own names: the preview follows.
    await sql.dialect.selectOption({ label: 'DuckDB' });
    await sql.table.fill('crm.customers');
    await sql.idColumn.fill('customer_id');
    await sql.column('city').fill('home_city');
    const duck = await engineCall(server, 'warehouse/sql', { ...args, dialect: 'duckdb', table: 'crm.customers', idColumn: 'customer_id', columns: { gender: 'gender', city: 'home_city' } });
    expect(duck.sql).not.toBe(postgres.sql);
    await sql.waitForPreview(duck.sql);
    expect(duck.sql).toContain('home_city');
    // A name the warehouse cannot take is said at its input, in plain words.
    await sql.idColumn.fill('customer"id');
    await waitForText(sql.dialog.locator('.field-error'), 'A name cannot contain control characters, quotes or backticks.');
    expect(await sql.saveButton.isDisabled()).toBe(true);
    await sql.idColumn.fill('customer_id');
    await sql.waitForPreview(duck.sql);
    await sql.saveAs(dir, 'spring');
    await waitForText(sql.saved, `Saved to ${join(dir, 'spring.sql')}.`);
    expect(readFileSync(join(dir, 'spring.sql'), 'utf8')).toBe(duck.sql);
    await shoot(page, '62-export-sql-duckdb-saved');

    // Growth of an existing assignment: the assignment table is asked for.
    await sql.kind('Growth of an existing assignment').check();
    expect(await sql.assignmentTable.inputValue()).toBe('assignment');
    const growth = await engineCall(server, 'warehouse/sql', { ...args, dialect: 'duckdb', kind: 'growth', table: 'crm.customers', idColumn: 'customer_id', columns: { gender: 'gender', city: 'home_city' }, assignmentTable: 'assignment' });
    await sql.waitForPreview(growth.sql);
    await expectDialogFits(page, sql.dialog, [sql.copyButton, sql.saveButton, sql.closeButton]);
    await shoot(page, '63-export-sql-growth');
    await axe.check('Export as SQL (growth)');

    // Keyboard: Tab stays inside, Escape closes, the focus goes back to the action.
    for (let i = 0; i < 14; i += 1) {
      await page.keyboard.press('Tab');
      expect(await sql.dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await sql.dialog.waitFor({ state: 'detached' });
    expect(await exportButton.evaluate((b) => b === document.activeElement)).toBe(true);

    // The saved DuckDB query, run on DuckDB over the campaign's audience under the warehouse's names, gives the warehouse's output.
    const exported = join(dir, 'spring.csv');
    await engineCall(server, 'export/profiles', { databaseId: customers.id, scope: { kind: 'campaign', campaignId: campaign.id, group: 'all' }, path: exported, fieldIds: [gender.id, city.id] });
    const audience = Papa.parse<Record<string, string>>(readFileSync(exported, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const duckdb = await duckdbEngine();
    try {
      const cell = (value: string | undefined) => (value === undefined || value === '' ? null : value);
      await duckdb.load('staged_audience', [{ name: 'customer_id', type: null }, { name: 'gender', type: 'string' }, { name: 'home_city', type: 'string' }], audience.map((r) => [r.profile_id ?? '', cell(r.gender), cell(r.city)]), true);
      await duckdb.run('CREATE SCHEMA crm');
      await duckdb.run('CREATE TABLE crm.customers AS SELECT * FROM staged_audience');
      const output = await duckdb.run(readFileSync(join(dir, 'spring.sql'), 'utf8'));
      expect(output).toHaveLength(groups.total);
      writeFileSync(join(dir, 'warehouse.csv'), Papa.unparse(output.map((r) => ({ id: r.id, group: r.group, stratum: r.stratum }))));
    } finally {
      await duckdb.close();
    }

    // Verify: the warehouse's output matches, group and stratum, fingerprint and all...
    await campaignPage.action('Verify…').click();
    const verify = new VerifyDialog(page);
    await verify.dialog.waitFor();
    await expectDialogFits(page, verify.dialog, [verify.chooseButton, verify.closeButton]);
    await shoot(page, '64-verify-choose');
    await axe.check('Verify (before a file)');
    expect(await verify.verify(verify.chooseButton, dir, 'warehouse.csv')).toBe(
      `The file matches the app’s split: all ${formatCount(groups.total)} profiles are in the same group and stratum.`,
    );
    await waitForText(verify.fingerprints, `App’s fingerprint${fingerprint}File’s fingerprint${fingerprint} (the same)`);
    await shoot(page, '65-verify-warehouse-match');

    // ...and so does the app's own export of the campaign (it has no stratum column: compared by group).
    expect(await verify.verify(verify.chooseAnotherButton, dir, 'spring.csv')).toBe(`The file matches the app’s split: all ${formatCount(groups.total)} profiles are in the same group.`);
    const all = (await verify.rows(verify.counts))[0];
    expect(all?.[0]).toBe('All profiles');
    expect(all?.slice(1)).toEqual([groups.test, groups.test, groups.control, groups.control].map(formatCount));
    expect(await verify.differences.count()).toBe(0);
    // The app's export has no stratum column: compared by group, its fingerprint (which hashes the strata) differs, and the dialog says why.
    await waitForText(verify.fingerprints, new RegExp(`^App’s fingerprint${fingerprint}File’s fingerprint[0-9a-f]{16} \\(different: the file has no stratum column, and the fingerprint includes the strata\\)$`));
    await expectDialogFits(page, verify.dialog, [verify.chooseAnotherButton, verify.closeButton]);
    await shoot(page, '66-verify-export-match');
    await axe.check('Verify (a match)');

    // ...and a copy with one LCG member moved to Test by hand does not: that ID is shown.
    const lines = readFileSync(exported, 'utf8').split(/\r?\n/);
    const groupAt = (lines[0] ?? '').split(',').indexOf('group');
    const row = lines.findIndex((line, i) => i > 0 && line.split(',')[groupAt] === 'control');
    const cells = (lines[row] ?? '').split(',');
    const movedId = (cells[0] ?? '').replace(/^"|"$/g, '');
    cells[groupAt] = 'test';
    lines[row] = cells.join(',');
    writeFileSync(join(dir, 'spring-edited.csv'), lines.join('\n'));
    expect(await verify.verify(verify.chooseAnotherButton, dir, 'spring-edited.csv')).toBe(
      'The file does not match the app’s split: 1 profile differs (1 in another group).',
    );
    expect(await verify.rows(verify.differences)).toEqual([[movedId, 'LCG', 'Test', 'LCG in the app, Test in the file']]);
    await waitForText(verify.fingerprints, /File’s fingerprint[0-9a-f]{16} \(different: the file has no stratum column, and the fingerprint includes the strata\)$/);
    await expectDialogFits(page, verify.dialog, [verify.chooseAnotherButton, verify.closeButton]);
    await shoot(page, '67-verify-differences');
    await axe.check('Verify (differences)');
    await page.keyboard.press('Escape');
    await verify.dialog.waitFor({ state: 'detached' });

    // Check all splits, where the project's campaigns are listed.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await list.waitUntilShown();
    await list.main.getByRole('button', { name: 'Check all splits…', exact: true }).click();
    const check = new CheckSplitsDialog(page);
    await check.dialog.waitFor();
    await waitForText(check.verdict, 'The campaign’s split is exactly what the rule gives.', 60_000);
    const checked = await check.table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')));
    expect(checked).toEqual([['Spring sale', 'Active', formatCount(groups.total), '0', 'OK', fingerprint]]);
    await expectDialogFits(page, check.dialog, [check.againButton, check.closeButton]);
    await shoot(page, '68-check-all-splits');
    await axe.check('Check all splits');
    await page.keyboard.press('Escape');
    await check.dialog.waitFor({ state: 'detached' });

    // The same file with one LCG member put in Test by another program: the check fails, and says how.
    const saved = join(dir, 'demo.cplan');
    await engineCall(server, 'project/saveAs', { path: saved });
    const edited = await alterProject(saved, join(dir, 'edited.cplan'), "UPDATE campaign_members SET grp = 'test' WHERE profile_key = (SELECT min(profile_key) FROM campaign_members WHERE grp = 'control')");
    await engineCall(server, 'project/open', { path: edited });
    await page.goto(server.openUrl);
    await project.waitForProject('Demo project');
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await list.waitUntilShown();
    await list.main.getByRole('button', { name: 'Check all splits…', exact: true }).click();
    await check.dialog.waitFor();
    await waitForText(check.verdict, '1 of 1 campaign has a split that the rule does not give: see below.', 60_000);
    const failed = await check.table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '').slice(0, 5)));
    expect(failed).toEqual([['Spring sale', 'Active', formatCount(groups.total), '1', 'Not the rule’s']]);
    await waitForText(
      check.dialog.getByTestId('check-splits-problems').locator('p').first(),
      '1 member is not in the group the rule gives: 0 stored in the LCG should be in Test, 1 stored in Test should be in the LCG.',
    );
    await expectDialogFits(page, check.dialog, [check.againButton, check.closeButton]);
    await shoot(page, '69-check-all-splits-failed');
    await axe.check('Check all splits (a split edited by hand)');
    await page.keyboard.press('Escape');
    await check.dialog.waitFor({ state: 'detached' });

    // The fingerprint follows the split: completing the campaign (everyone leaves) shows the new one without a reload.
    await list.open('Spring sale');
    const before = (await engineCall(server, 'warehouse/fingerprint', { campaignId: campaign.id })).fingerprint ?? '';
    await waitForText(shown.getByTestId('fingerprint-value'), before, 15_000);
    await campaignPage.action('Complete…').click();
    const question = page.getByRole('alertdialog');
    await question.getByRole('textbox').fill('Spring sale');
    await question.getByRole('button', { name: 'Complete for good', exact: true }).click();
    await campaignPage.waitForStatus('Completed');
    const after = (await engineCall(server, 'warehouse/fingerprint', { campaignId: campaign.id })).fingerprint ?? '';
    expect(after).not.toBe(before);
    await waitForText(shown.getByTestId('fingerprint-value'), after, 15_000);

    axe.assertClean();
  });
});
