import type { Field, ProfileSortKey } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS, type FieldType } from '../../../shared/domain/profiles';
import type { ExtraColumn } from '../../store/profiles/sources';

/** One column of the profile table: a system field, a field of the database, or a campaign's group and stratum. */
export interface ProfileColumn {
  readonly key: ProfileSortKey | ExtraColumn;
  readonly label: string;
  /** Null for the two system columns. */
  readonly field: Field | null;
  readonly width: number;
  readonly numeric: boolean;
  readonly title: string;
  /** The engine can order the table by it. */
  readonly sortable: boolean;
}

const WIDTH_BY_TYPE: Readonly<Record<FieldType, number>> = {
  string: 200,
  number: 110,
  date: 116,
  datetime: 180,
  boolean: 76,
  enum: 150,
};

export function profileColumns(fields: readonly Field[], options: { extras?: readonly ExtraColumn[]; sortable?: boolean } = {}): ProfileColumn[] {
  const sortable = options.sortable ?? true;
  const extras = options.extras ?? [];
  return [
    { key: 'profileId', label: 'Profile ID', field: null, width: 150, numeric: false, title: 'Profile ID (system field)', sortable },
    { key: 'subscription', label: 'Subscription', field: null, width: 124, numeric: false, title: 'Subscription status (system field)', sortable },
    ...(extras.includes('group')
      ? [{ key: 'group' as const, label: 'Group', field: null, width: 86, numeric: false, title: 'Test or LCG in the campaign', sortable: false }]
      : []),
    ...(extras.includes('stratum')
      ? [{ key: 'stratum' as const, label: 'Stratum', field: null, width: 300, numeric: false, title: 'The stratum of the split', sortable: false }]
      : []),
    ...(extras.includes('variant')
      ? [{ key: 'variant' as const, label: 'Variant', field: null, width: 96, numeric: false, title: 'The A/B variant the recipient got', sortable: false }]
      : []),
    ...fields.map((field) => ({
      key: field.id,
      label: field.name,
      field,
      width: WIDTH_BY_TYPE[field.type],
      numeric: field.type === 'number',
      title: `${field.name} (${FIELD_TYPE_LABELS[field.type]})`,
      sortable,
    })),
  ];
}

export const gridTemplate = (columns: readonly ProfileColumn[]): string => columns.map((c) => `${c.width}px`).join(' ');
export const gridWidth = (columns: readonly ProfileColumn[]): number => columns.reduce((sum, c) => sum + c.width, 0);
