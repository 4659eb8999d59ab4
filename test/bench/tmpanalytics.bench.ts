import { formatCount } from '../../shared/format';
import { BENCH_PROFILES, demoProject, fmt, startBenchEngine } from './bench-engine';
import { runBench } from './report';
import { lastEventSeq } from '../../main/engine/events/table';

const EVENTS = Math.round(BENCH_PROFILES * 5);

runBench(async () => {
  const bench = await startBenchEngine();
  try {
    const demo = await demoProject(bench);
    const db = bench.engine.state.requireSession().db;
    const id = demo.databaseId;
    const fields = ((await bench.call('database/get', { databaseId: id })).data as { fields: { id: number; name: string; type: string }[] }).fields;
    console.log(fields.map((f) => `${f.name}:${f.type}`).join(', '));
    const segs = (await bench.call('segment/list', { databaseId: id })).data as unknown as { id: number; name: string; size: number }[];
    console.log(segs.map((s) => `${s.name}:${s.size}`).join(', '));
    const all = ((await bench.call('segment/create', { databaseId: id, name: 'Everyone', from: { kind: 'all' } })).data as { segment: { id: number } }).segment;
    const enumField = fields.find((f) => f.type === 'enum')!;
    const c = (await bench.call('campaign/create', { name: 'A', databaseId: id, segmentId: all.id, seed: 'a', lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: enumField.id }] } })).data as { id: number };
    await bench.call('activity/create', { databaseId: id, campaignId: c.id, type: 'broadcast', name: 'B' });
    let t0 = performance.now();
    await bench.call('campaign/activate', { campaignId: c.id });
    console.log(`activated in ${fmt(performance.now() - t0)}`);
    const clock = String(db.scalar("SELECT value FROM meta WHERE key = 'clock'"));
    const table = `events_${id}`;
    const seq = lastEventSeq(db, id);
    db.run(
      `CREATE TEMP TABLE bench_events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       SELECT ? + i AS seq, 1 + abs(random()) % ? AS profile_key, CASE abs(random()) % 5 WHEN 0 THEN 'purchase' WHEN 1 THEN 'purchase' WHEN 2 THEN 'open' WHEN 3 THEN 'open' ELSE 'click' END AS type,
              strftime('%Y-%m-%dT%H:%M:%S', julianday(?) + ((abs(random()) % 10368000) - 5184000) / 86400.0) AS at, (abs(random()) % 100000) / 100.0 AS amount
         FROM n`,
      [EVENTS, seq, BENCH_PROFILES, clock.replace('T', ' ')],
    );
    db.exec(`INSERT INTO ${table} (profile_key, type, at, amount, seq) SELECT profile_key, type, at, amount, seq FROM temp.bench_events ORDER BY type, at, profile_key, seq`);
    db.exec(`INSERT INTO ${table}_by_profile (profile_key, at, seq, type) SELECT profile_key, at, seq, type FROM temp.bench_events ORDER BY profile_key, at, seq; DROP TABLE temp.bench_events`);
    const later = new Date(Date.parse(`${clock}:00Z`) + 40 * 86400000).toISOString().slice(0, 16);
    db.run("UPDATE meta SET value = ? WHERE key = 'clock'", [later]);
    for (let r = 0; r < 3; r += 1) {
      t0 = performance.now();
      const res = (await bench.call('analytics/run', { campaignId: c.id, metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14 }, covariate: { kind: 'event', measure: 'sum', eventType: 'purchase', days: 30, period: 'before' }, save: false })).data as { result: { durationMs: number; groups: { profiles: number; mean: number }[]; summary: string; strata: unknown[] } };
      console.log(`analysis in ${fmt(performance.now() - t0)} (engine ${fmt(res.result.durationMs)}); ${res.result.groups.map((g) => `${formatCount(g.profiles)} ${g.mean}`).join(' / ')}; strata ${res.result.strata.length}`);
    }
    console.log(String(db.scalar('SELECT 1')));
  } finally {
    await bench.dispose();
  }
});
