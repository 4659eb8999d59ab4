import type { Field, ProfileSortKey } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS, type FieldType } from '../../../shared/domain/profiles';

/** One column of the profile table: a system field or a field of the database. */
export interface ProfileColumn {
  readonly key: ProfileSortKey;
  readonly label: string;
  /** Null for the two system columns. */
  readonly field: Field | null;
  readonly width: number;
  readonly numeric: boolean;
  readonly title: string;
}

const WIDTH_BY_TYPE: Readonly<Record<FieldType, number>> = {
  string: 200,
  number: 110,
  date: 116,
  datetime: 160,
  boolean: 76,
  enum: 150,
};

export function profileColumns(fields: readonly Field[]): ProfileColumn[] {
  return [
    { key: 'profileId', label: 'Profile ID', field: null, width: 150, numeric: false, title: 'Profile ID (system field)' },
    { key: 'subscription', label: 'Subscription', field: null, width: 124, numeric: false, title: 'Subscription status (system field)' },
    ...fields.map((field) => ({
      key: field.id,
      label: field.name,
      field,
      width: WIDTH_BY_TYPE[field.type],
      numeric: field.type === 'number',
      title: `${field.name} (${FIELD_TYPE_LABELS[field.type]})`,
    })),
  ];
}

export const gridTemplate = (columns: readonly ProfileColumn[]): string => columns.map((c) => `${c.width}px`).join(' ');
export const gridWidth = (columns: readonly ProfileColumn[]): number => columns.reduce((sum, c) => sum + c.width, 0);
