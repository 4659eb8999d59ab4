/** Profile databases: field types and the system fields every profile has (DESIGN.md). */

export const FIELD_TYPES = ['string', 'number', 'date', 'datetime', 'boolean', 'enum'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_LABELS: Readonly<Record<FieldType, string>> = {
  string: 'Text',
  number: 'Number',
  date: 'Date',
  datetime: 'Date and time',
  boolean: 'Yes / no',
  enum: 'Choice from a list',
};

export const SUBSCRIPTION_STATUSES = ['subscribed', 'unsubscribed', 'unconfirmed', 'bounced'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const DEFAULT_SUBSCRIPTION: SubscriptionStatus = 'subscribed';

export const SUBSCRIPTION_LABELS: Readonly<Record<SubscriptionStatus, string>> = {
  subscribed: 'Subscribed',
  unsubscribed: 'Unsubscribed',
  unconfirmed: 'Unconfirmed',
  bounced: 'Bounced',
};

/**
 * A stored field value as it crosses the contract: text for string, enum, date
 * ("2024-12-31") and date-time ("2024-12-31T10:15:00"); a number; a boolean; null for
 * "no value".
 */
export type FieldValue = string | number | boolean | null;

/** Column names used in CSV files for the two system fields (export writes them, import recognises them). */
export const PROFILE_ID_COLUMN = 'profile_id';
export const SUBSCRIPTION_COLUMN = 'subscription_status';

/** Header names an import recognises as the profile ID column, compared case-insensitively. */
export const PROFILE_ID_ALIASES = ['profile_id', 'profile id', 'id', 'customer_id', 'customer id', 'client_id', 'user_id', 'contact_id', 'external_id'];
/** Header names an import recognises as the subscription status column. */
export const SUBSCRIPTION_ALIASES = ['subscription_status', 'subscription status', 'subscription', 'status'];

export const MAX_ENUM_VALUES = 500;
/** The longest value a list (enum) field holds. */
export const MAX_ENUM_VALUE_CHARS = 200;
export const MAX_FIELDS_PER_DATABASE = 200;
