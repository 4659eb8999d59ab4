import { z } from 'zod';
import { Id, SubscriptionStatus } from './databases';
import { method } from './method';

/** A stored value: text (string, enum, "2024-12-31", "2024-12-31T10:15:00"), number, boolean, or null. */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What a table can be sorted by: the profile ID, the subscription status, or a field (by id). */
export const ProfileSortKey = z.union([z.literal('profileId'), z.literal('subscription'), Id]);
export type ProfileSortKey = z.infer<typeof ProfileSortKey>;

export const ProfileSearch = z.strictObject({
  text: z.string().trim().min(1, 'Type something to search for.').max(500),
  /**
   * Where to look: `profileId` finds IDs starting with the text; a field id finds values
   * of that field containing it (or equal to it, for numbers, dates and yes/no); `any`
   * looks in the ID and every text field.
   */
  in: z.union([z.literal('profileId'), z.literal('any'), Id]),
});
export type ProfileSearch = z.infer<typeof ProfileSearch>;

export const ProfileRow = z.object({
  /** The profile's internal key (SQLite rowid), stable for its lifetime in the database. */
  key: z.number().int(),
  profileId: z.string(),
  subscription: SubscriptionStatus,
  /** Values aligned with the page's `fieldIds`. */
  values: z.array(FieldValue),
});
export type ProfileRow = z.infer<typeof ProfileRow>;

export const ProfilePage = z.object({
  databaseId: Id,
  /** Profiles matching the search (all profiles without one). */
  total: z.number().int(),
  offset: z.number().int(),
  fieldIds: z.array(Id),
  rows: z.array(ProfileRow),
});
export type ProfilePage = z.infer<typeof ProfilePage>;

export const ProfileCard = z.object({
  databaseId: Id,
  key: z.number().int(),
  profileId: z.string(),
  subscription: SubscriptionStatus,
  values: z.array(z.object({ fieldId: Id, value: FieldValue })),
  /** The imports that added and last updated the profile (null: not by an import). */
  addedByImport: Id.nullable(),
  updatedByImport: Id.nullable(),
});
export type ProfileCard = z.infer<typeof ProfileCard>;

export const profileMethods = {
  'profile/list': method({
    doc: 'A page of profiles of a database, sorted and optionally searched; fast at any offset.',
    args: z.strictObject({
      databaseId: Id,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      sort: z.strictObject({ by: ProfileSortKey, direction: z.enum(['asc', 'desc']) }).optional(),
      search: ProfileSearch.optional(),
    }),
    result: ProfilePage,
  }),
  'profile/get': method({
    doc: 'Every field of one profile, found by its profile ID.',
    args: z.strictObject({ databaseId: Id, profileId: z.string().min(1).max(1000) }),
    result: ProfileCard,
  }),
} as const;
