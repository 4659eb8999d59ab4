import { z } from 'zod';
import { FIELD_TYPES, MAX_ENUM_VALUE_CHARS, MAX_ENUM_VALUES, SUBSCRIPTION_STATUSES } from '../domain/profiles';
import { Empty, Instant, ClockTime } from './common';
import { method } from './method';
import { MAX_DATABASE_NAME, MAX_FIELD_NAME } from './limits';

export const Id = z.number().int().positive();

const DatabaseName = z.string().trim().min(1, 'The database name cannot be empty.').max(MAX_DATABASE_NAME, `At most ${MAX_DATABASE_NAME} characters.`);
export const FieldName = z
  .string()
  .trim()
  .min(1, 'The field name cannot be empty.')
  .max(MAX_FIELD_NAME, `At most ${MAX_FIELD_NAME} characters.`)
  .refine((n) => !/[\u0000-\u001f]/.test(n), 'The field name contains a control character.');

const EnumValues = z
  .array(z.string().trim().min(1, 'An enum value cannot be empty.').max(MAX_ENUM_VALUE_CHARS))
  .max(MAX_ENUM_VALUES, `At most ${MAX_ENUM_VALUES} values.`)
  .refine((values) => new Set(values).size === values.length, 'The enum values must be different from each other.');

export const FieldType = z.enum(FIELD_TYPES);
export const SubscriptionStatus = z.enum(SUBSCRIPTION_STATUSES);

export const Field = z.object({
  id: Id,
  databaseId: Id,
  name: z.string(),
  type: FieldType,
  /** The allowed values of an enum field, in order; empty for other types. */
  enumValues: z.array(z.string()),
  position: z.number().int(),
});
export type Field = z.infer<typeof Field>;

/** A field to create: with a database, by an import, or on its own. */
export const FieldDraft = z
  .strictObject({ name: FieldName, type: FieldType, enumValues: EnumValues.optional() })
  .refine((f) => f.type === 'enum' || !f.enumValues?.length, 'Only enum fields have values.')
  .refine((f) => f.type !== 'enum' || (f.enumValues?.length ?? 0) > 0, 'An enum field needs at least one value.');
export type FieldDraft = z.infer<typeof FieldDraft>;

export const ImportSummary = z.object({
  id: Id,
  fileName: z.string(),
  /** Wall-clock time of the import, and the project clock at that moment. */
  importedAt: Instant,
  clock: ClockTime,
  mode: z.enum(['add', 'update', 'upsert']),
  rowsRead: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const DatabaseSummary = z.object({
  id: Id,
  name: z.string(),
  profileCount: z.number().int(),
  fieldCount: z.number().int(),
  createdAt: Instant,
});
export type DatabaseSummary = z.infer<typeof DatabaseSummary>;

export const DatabaseDetail = DatabaseSummary.extend({
  fields: z.array(Field),
  subscriptionCounts: z.record(SubscriptionStatus, z.number().int()),
  imports: z.array(ImportSummary),
});
export type DatabaseDetail = z.infer<typeof DatabaseDetail>;

/** What deleting a database takes with it, shown before the user confirms. */
export const DeletionImpact = z.object({
  databaseId: Id,
  name: z.string(),
  profiles: z.number().int(),
  fields: z.number().int(),
  imports: z.number().int(),
  /** Campaigns built on it; a database with campaigns cannot be deleted. */
  campaigns: z.number().int(),
});
export type DeletionImpact = z.infer<typeof DeletionImpact>;

export const databaseMethods = {
  'database/list': method({
    doc: 'The profile databases of the project, with profile and field counts.',
    args: Empty,
    result: z.array(DatabaseSummary),
  }),
  'database/get': method({
    doc: 'One database: its fields, subscription counts and import history.',
    args: z.strictObject({ databaseId: Id }),
    result: DatabaseDetail,
  }),
  'database/create': method({
    doc: 'Create an empty profile database, optionally with fields.',
    args: z.strictObject({ name: DatabaseName, fields: z.array(FieldDraft).max(200).optional() }),
    result: DatabaseDetail,
    mutates: true,
  }),
  'database/rename': method({
    doc: 'Rename a profile database.',
    args: z.strictObject({ databaseId: Id, name: DatabaseName }),
    result: DatabaseDetail,
    mutates: true,
  }),
  'database/deletionImpact': method({
    doc: 'What deleting a database would remove: profiles, fields, imports (and campaigns that block it).',
    args: z.strictObject({ databaseId: Id }),
    result: DeletionImpact,
  }),
  'database/delete': method({
    doc: 'Delete a profile database with its profiles, fields and import history.',
    args: z.strictObject({ databaseId: Id }),
    result: DeletionImpact,
    mutates: true,
  }),
  'field/add': method({
    doc: 'Add a field to a database (existing profiles get no value).',
    args: z.strictObject({ databaseId: Id, field: FieldDraft }),
    result: Field,
    mutates: true,
  }),
  'field/update': method({
    doc: 'Rename a field or change the values of an enum field (values in use cannot be removed).',
    args: z
      .strictObject({ fieldId: Id, name: FieldName.optional(), enumValues: EnumValues.optional() })
      .refine((a) => a.name !== undefined || a.enumValues !== undefined, 'Nothing to change.'),
    result: Field,
    mutates: true,
  }),
  'field/list': method({
    doc: "A database's fields, in order (database/get without its counts, which read every profile).",
    args: z.strictObject({ databaseId: Id }),
    result: z.array(Field),
  }),
  'field/usage': method({
    doc: 'How many profiles hold a value in a field (what removing it would take away).',
    args: z.strictObject({ fieldId: Id }),
    result: z.object({ fieldId: Id, valuesStored: z.number().int() }),
  }),
  'field/remove': method({
    doc: 'Remove a field and its values from every profile of its database.',
    args: z.strictObject({ fieldId: Id }),
    result: z.object({ fieldId: Id, valuesRemoved: z.number().int() }),
    mutates: true,
  }),
} as const;
