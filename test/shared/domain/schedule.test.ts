/** Schedules of updatable segments: the text form, its located errors, and the due times on the project clock. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSchedule, dueBetween, nextDue, parseSchedule, printSchedule, WEEKDAYS, type Schedule } from '../../../shared/domain/schedule';

const read = (text: string): Schedule => {
  const reading = parseSchedule(text);
  if (!reading.ok) throw new Error(reading.problem);
  return reading.schedule;
};

describe('schedules', () => {
  it('reads the four forms, in any case and spacing, and prints them back canonically', () => {
    expect(read('every 6 hours')).toEqual({ kind: 'hourly', hours: 6 });
    expect(read('Every 1 hour')).toEqual({ kind: 'hourly', hours: 1 });
    expect(read('  daily   9:05 ')).toEqual({ kind: 'daily', time: '09:05' });
    expect(read('weekly Thu,mon,monday 10:00')).toEqual({ kind: 'weekly', weekdays: ['mon', 'thu'], time: '10:00' });
    expect(read('monthly 31 08:00')).toEqual({ kind: 'monthly', day: 31, time: '08:00' });
    expect(printSchedule(read('weekly Thu,mon 10:00'))).toBe('weekly mon,thu 10:00');
    expect(describeSchedule(read('weekly mon,wed,fri 10:00'))).toBe('Every Monday, Wednesday and Friday at 10:00');
    expect(describeSchedule(read('monthly 31 08:00'))).toBe('On day 31 of each month (or its last day) at 08:00');
  });

  it('round-trips every schedule through its text', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const schedule: fc.Arbitrary<Schedule> = fc.oneof(
      fc.integer({ min: 1, max: 168 }).map((hours) => ({ kind: 'hourly' as const, hours })),
      time.map((t) => ({ kind: 'daily' as const, time: t })),
      fc.tuple(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1 }), time).map(([days, t]) => ({
        kind: 'weekly' as const,
        weekdays: [...days].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b)),
        time: t,
      })),
      fc.tuple(fc.integer({ min: 1, max: 31 }), time).map(([day, t]) => ({ kind: 'monthly' as const, day, time: t })),
    );
    fc.assert(
      fc.property(schedule, (s) => {
        expect(read(printSchedule(s))).toEqual(s);
      }),
    );
  });

  it('says what is wrong and where', () => {
    const cases: [string, RegExp, number][] = [
      ['', /Type a schedule/, 0],
      ['weekly mon,fry 10:00', /"fry" is not a weekday/, 11],
      ['weekly mon 25:00', /"25:00" is not a time/, 11],
      ['weekly mon', /Give the time on those days/, 10],
      ['every 0 hours', /"0" is not a number of hours from 1 to 168/, 6],
      ['every 6 days', /Write "hours"/, 8],
      ['monthly 32 08:00', /"32" is not a day of the month/, 8],
      ['daily 10:00 sharp', /Unexpected "sharp"/, 12],
      ['sometimes', /"sometimes" does not start a schedule/, 0],
    ];
    for (const [text, problem, at] of cases) {
      const reading = parseSchedule(text);
      expect(reading.ok, text).toBe(false);
      if (!reading.ok) {
        expect(reading.problem).toMatch(problem);
        expect(reading.at, text).toBe(at);
      }
    }
  });

  it("falls due as the guide's example: weekly on Mondays at 10:00, after Sunday 9 April", () => {
    const weekly = read('weekly mon 10:00');
    expect(nextDue(weekly, '2023-04-09T18:30', '2023-04-01T00:00')).toBe('2023-04-10T10:00');
    // Exactly at a due time, the next one is a week later.
    expect(nextDue(weekly, '2023-04-10T10:00', '2023-04-01T00:00')).toBe('2023-04-17T10:00');
    expect(dueBetween(weekly, '2023-04-09T00:00', '2023-04-24T10:00', '2023-04-01T00:00')).toEqual(['2023-04-10T10:00', '2023-04-17T10:00', '2023-04-24T10:00']);
  });

  it('runs on the last day of a short month, and every N hours from its start', () => {
    const monthly = read('monthly 31 08:00');
    expect(dueBetween(monthly, '2024-01-31T08:00', '2024-05-01T00:00', '2024-01-01T00:00')).toEqual(['2024-02-29T08:00', '2024-03-31T08:00', '2024-04-30T08:00']);
    const hourly = read('every 5 hours');
    expect(nextDue(hourly, '2026-12-04T09:59', '2026-12-04T00:30')).toBe('2026-12-04T10:30');
    expect(nextDue(hourly, '2026-12-03T12:00', '2026-12-04T00:30')).toBe('2026-12-04T00:30');
    expect(dueBetween(read('daily 23:30'), '2026-12-31T23:30', '2027-01-02T23:30', '2026-01-01T00:00')).toEqual(['2027-01-01T23:30', '2027-01-02T23:30']);
  });
});
