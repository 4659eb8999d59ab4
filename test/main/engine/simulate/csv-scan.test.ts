import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectEngineError, startTestEngine, type TestEngine } from '../../../helpers/engine';

const CITIES = ['Berlin', 'Paris', 'Rome'];

/** A file of `n` rows: 0/1, yes/no in any case, numbers with blanks, text, dates, and long text. */
function writeAudience(t: TestEngine, n = 300): { path: string; rows: { id: string; bought: number; member: number; revenue: number | null; city: string }[] } {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `c${i + 1}`,
    bought: i % 4 === 0 ? 1 : 0,
    member: i % 3 === 0 ? 1 : 0,
    revenue: i % 10 === 0 ? null : (i * 17) % 90,
    city: CITIES[i % 3]!,
  }));
  const lines = ['id,bought,member,revenue,city,joined,note'];
  rows.forEach((r, i) => {
    const member = r.member === 1 ? ['yes', 'Yes', 'YES'][i % 3] : ['no', 'No'][i % 2];
    lines.push(`${r.id},${r.bought},${member},${r.revenue ?? ''},${r.city},2024-01-${String(1 + (i % 28)).padStart(2, '0')},note ${i}`);
  });
  const path = join(t.dir, 'audience.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, rows };
}

describe('simulate/scan of a CSV file (no project)', () => {
  it('reads a 0/1 column or a yes/no column (any case) as a binary metric, and sums it per stratum column', async () => {
    const t = await startTestEngine();
    const { path, rows } = writeAudience(t);
    const scan = await t.call('simulate/scan', { audience: { kind: 'csv', input: path, idColumn: 'id' }, metric: { field: 'bought' }, columns: [{ column: 'city', kind: 'values' }] });
    expect(scan.audience).toMatchObject({ kind: 'csv', label: 'File audience.csv', size: rows.length, gcgRemoved: null, databaseId: null });
    expect(scan.metric).toMatchObject({ field: 'bought', kind: 'binary', missing: 0 });
    expect(scan.strataLabel).toBe('stratified by city');
    for (const city of CITIES) {
      const s = scan.strata.find((x) => x.key === city)!;
      const mine = rows.filter((r) => r.city === city);
      expect(s.size).toBe(mine.length);
      expect(s.sumY).toBe(mine.reduce((sum, r) => sum + r.bought, 0));
    }
    const member = await t.call('simulate/scan', { audience: { kind: 'csv', input: path }, metric: { field: 'Member' } });
    expect(member.metric.kind).toBe('binary');
    expect(member.strata[0]!.sumY).toBe(rows.filter((r) => r.member === 1).length);
  });

  it('reads numbers as a continuous metric (blanks counted as missing), text needs a value, a threshold makes it binary', async () => {
    const t = await startTestEngine();
    const { path, rows } = writeAudience(t);
    const audience = { kind: 'csv' as const, input: path };
    const revenue = await t.call('simulate/scan', { audience, metric: { field: 'revenue' }, covariate: { field: 'bought' } });
    expect(revenue.metric).toMatchObject({ kind: 'continuous', missing: rows.filter((r) => r.revenue === null).length });
    expect(revenue.strata[0]!.sumY).toBe(rows.reduce((sum, r) => sum + (r.revenue ?? 0), 0));
    expect(revenue.strata[0]!.sumXY).toBe(rows.reduce((sum, r) => sum + (r.revenue ?? 0) * r.bought, 0));
    const above = await t.call('simulate/scan', { audience, metric: { field: 'revenue', threshold: 45 } });
    expect(above.strata[0]!.sumY).toBe(rows.filter((r) => (r.revenue ?? 0) > 45).length);
    const rome = await t.call('simulate/scan', { audience, metric: { field: 'city', value: 'Rome' } });
    expect(rome.strata[0]!.sumY).toBe(rows.filter((r) => r.city === 'Rome').length);
    const text = await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'city' } }), 'INVALID_ARGUMENT');
    expect(text.details).toMatchObject({ reason: 'needs_value' });
    await expectEngineError(t.call('simulate/scan', { audience, metric: { field: 'nope' } }), 'NOT_FOUND');
  });

  it('compares every column in the balance table: binary, numbers, short text; dates and long text left out', async () => {
    const t = await startTestEngine();
    const { path } = writeAudience(t);
    const balance = await t.call('simulate/balance', { source: { audience: { kind: 'csv', input: path }, metric: { field: 'bought' } }, settings: { percent: '10', limit: null, seed: 's' } });
    expect(balance.rows.map((r) => [r.field, r.level, r.kind])).toEqual([
      ['bought', 'yes', 'binary'],
      ['member', 'yes', 'binary'],
      ['revenue', null, 'number'],
      ['city', 'Berlin', 'binary'],
      ['city', 'Paris', 'binary'],
      ['city', 'Rome', 'binary'],
    ]);
    expect(balance.skipped).toEqual([
      { field: 'joined', reason: expect.stringContaining('a date') },
      { field: 'note', reason: 'text with more than 50 different values' },
    ]);
    expect([balance.control, balance.test]).toEqual([30, 270]);
  });
});
