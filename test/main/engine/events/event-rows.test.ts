/**
 * The compact rows of an events import (event-rows.ts): times kept as numbers and written
 * back as the same text, and the two orders the events' B-trees are written in, checked
 * against a plain comparison sort on random rows with many ties.
 */
import { describe, expect, it } from 'vitest';
import { atNumber, EventBatch, EventRows } from '../../../../main/engine/events/event-rows';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Row {
  key: number;
  type: string;
  at: string;
  amount: number | null;
  note: string | null;
}

/** The rows as a batch gives them back (text slots type, at, note; numbers key, amount, seq). */
function readBack(rows: EventRows, order: Uint32Array, withNotes = true): (Row & { seq: number })[] {
  const batch = new EventBatch();
  rows.fill(batch, order, 0, order.length, 100, withNotes);
  const text = (cell: number) => (batch.textLength[cell]! < 0 ? null : decoder.decode(batch.text.subarray(batch.textStart[cell]!, batch.textStart[cell]! + batch.textLength[cell]!)));
  return Array.from({ length: batch.rows }, (_, k) => ({
    key: batch.numbers[k * 3]!,
    type: text(k * 3)!,
    at: text(k * 3 + 1)!,
    amount: Number.isNaN(batch.numbers[k * 3 + 1]!) ? null : batch.numbers[k * 3 + 1]!,
    note: text(k * 3 + 2),
    seq: batch.numbers[k * 3 + 2]!,
  }));
}

/** Bytes order, as SQLite compares text. */
const compareText = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('event rows', () => {
  it('reads a stored date-time as a number that sorts as the text, and refuses anything else', () => {
    const at = (text: string) => {
      const bytes = encoder.encode(text);
      return atNumber(bytes, 0, bytes.length);
    };
    expect(at('2026-04-09T10:15:00')).toBe(20260409101500);
    expect(at('0001-01-01T00:00:00')).toBe(10101000000);
    expect(at('9999-12-31T23:59:59')).toBe(99991231235959);
    expect(at('2026-04-09')).toBeNull();
    expect(at('2026-04-09T10:15:0x')).toBeNull();
  });

  it('gives back every row as added: time text, type, amount, note (none, empty or non-ASCII), seq by the order added', () => {
    const rows = new EventRows();
    const added: Row[] = [
      { key: 7, type: 'покупка', at: '2026-04-09T10:15:00', amount: 12.5, note: 'заказ 1' },
      { key: 3, type: 'open', at: '0999-01-02T03:04:05', amount: null, note: null },
      { key: 2_000_000_000, type: 'open', at: '9999-12-31T23:59:59', amount: 0, note: '' },
    ];
    for (const r of added) rows.addText(r.key, rows.typeCode(r.type), r.at, r.amount, r.note);
    expect(rows.length).toBe(3);
    expect(readBack(rows, Uint32Array.of(0, 1, 2))).toEqual(added.map((r, i) => ({ ...r, seq: 100 + i })));
    expect(readBack(rows, Uint32Array.of(2, 0), false).map((r) => [r.key, r.note, r.seq])).toEqual([[2_000_000_000, null, 102], [7, null, 100]]);
  });

  it.each([
    ['times over 8,000 years and large profile keys (keys sorted apart)', 1],
    ['times within a day and small profile keys (one combined key)', 2],
    ['times out of the calendar among them (month 13, second 61: sorted as their digits)', 3],
  ])('orders rows by type (as bytes), time, profile, then as added; and by profile, time, then as added: %s', (_, variant) => {
    let seed = 42;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const types = ['open', 'click', 'Zebra', 'éclair', 'a', 'purchase'];
    const rows = new EventRows();
    const added: Row[] = [];
    for (let i = 0; i < 5000; i += 1) {
      // Few keys and times: many ties, so the order added must decide.
      const row = {
        key: variant === 1 ? [1, 2, 65_535, 65_536, 70_000, 1_500_000_000][random(6)]! : 1 + random(50),
        type: types[random(types.length)]!,
        at: variant === 3 ? ['2026-13-01T00:00:00', '2026-12-31T23:59:59', '2027-01-01T00:00:00', '2026-12-31T23:59:61', '2026-12-31T23:60:00'][random(5)]! : variant === 2 ? `2026-04-10T${String(random(24)).padStart(2, '0')}:${String(random(60)).padStart(2, '0')}:0${random(3)}` : ['2025-01-01T00:00:00', '2025-01-01T00:00:01', '2026-12-31T23:59:59', '1999-06-30T12:00:00', '2024-02-29T23:59:59', '2024-03-01T00:00:00', '2000-02-28T10:00:00', '1900-03-01T00:00:00', '0001-01-01T00:00:00', '9999-12-31T23:59:59'][random(10)]!,
        amount: null,
        note: null,
      };
      added.push(row);
      rows.addText(row.key, rows.typeCode(row.type), row.at, null, null);
    }
    const indexes = added.map((_, i) => i);
    const byType = [...indexes].sort((a, b) => compareText(added[a]!.type, added[b]!.type) || compareText(added[a]!.at, added[b]!.at) || added[a]!.key - added[b]!.key || a - b);
    const byProfile = [...indexes].sort((a, b) => added[a]!.key - added[b]!.key || compareText(added[a]!.at, added[b]!.at) || a - b);
    expect([...rows.orderByTypeAndTime()]).toEqual(byType);
    expect([...rows.orderByProfileAndTime()]).toEqual(byProfile);
  });
});
