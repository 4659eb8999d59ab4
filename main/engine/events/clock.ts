/**
 * "Now" for events is the project clock ("YYYY-MM-DDTHH:MM"): an event exists when its time
 * ("YYYY-MM-DDTHH:MM:SS") is within or before the clock's minute. Events after it do not
 * exist yet, so history can be replayed by moving the clock. Every reader of events
 * (lists, exports, conditions) compares `at <= clockLimit(clock)`.
 */
import type { ClockTime } from '../../../shared/domain/clock';

export function clockLimit(clock: ClockTime): string {
  return `${clock}:59`;
}
