import type { FieldValue, FieldType, SubscriptionStatus } from '../../shared/domain/profiles';
import { SUBSCRIPTION_LABELS } from '../../shared/domain/profiles';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2024-03-08" -> "8 Mar 2024": the stored date as written, never shifted by a time zone. */
export function formatDateText(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [, y, m, d] = match;
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

/** "2024-03-08T10:15:00" -> "8 Mar 2024, 10:15" (seconds shown when not zero). */
export function formatDateTimeText(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(value);
  if (!match) return value;
  const [, date = '', h, mi, s, fraction] = match;
  const seconds = s !== undefined && (s !== '00' || fraction) ? `:${s}${fraction ?? ''}` : '';
  return `${formatDateText(date)}, ${h}:${mi}${seconds}`;
}

/** One formatter for every cell: making one per call (toLocaleString) is slow in a table that scrolls. */
const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });

/** Grouped for reading, every digit kept ("1,234.5678"), so nothing is rounded away. */
export function formatNumberValue(value: number): string {
  return NUMBER_FORMAT.format(value);
}

/** A stored value as a table cell or the profile card shows it; empty is "". */
export function formatFieldValue(type: FieldType, value: FieldValue): string {
  if (value === null) return '';
  switch (type) {
    case 'number':
      return typeof value === 'number' ? formatNumberValue(value) : String(value);
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'date':
      return formatDateText(String(value));
    case 'datetime':
      return formatDateTimeText(String(value));
    default:
      return String(value);
  }
}

/** The exact stored value, for a tooltip and for copying ("1234.5678", "2024-03-08"). */
export function rawFieldValue(value: FieldValue): string {
  if (value === null) return '';
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}

export const subscriptionLabel = (status: SubscriptionStatus): string => SUBSCRIPTION_LABELS[status] ?? status;

export const isNumericType = (type: FieldType): boolean => type === 'number';
