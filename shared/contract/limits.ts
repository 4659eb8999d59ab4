/**
 * The longest names and texts the engine accepts, in characters, declared once: the
 * contract's schemas refuse longer ones and the UI's fields count against the same
 * numbers, so a form never takes (or silently cuts) what the engine would refuse.
 */
export const MAX_PROJECT_NAME = 200;
export const MAX_PROJECT_DESCRIPTION = 5000;
export const MAX_DATABASE_NAME = 100;
export const MAX_FIELD_NAME = 64;
export const MAX_SEGMENT_NAME = 100;
export const MAX_CAMPAIGN_NAME = 200;
export const MAX_ACTIVITY_NAME = 200;
export const MAX_VARIANT_NAME = 100;
export const MAX_ATTRIBUTE_NAME = 100;
/** The seed of a split (a campaign's, the GCG's, the demo's). */
export const MAX_SEED = 100;
/** A campaign attribute's value. */
export const MAX_ATTRIBUTE_VALUE = 1000;
/** A condition (segment/preview, segment/create): groups nested at most this deep (a leaf alone is depth 1). */
export const MAX_CONDITION_DEPTH = 10;
/** Leaves in one condition, at most. */
export const MAX_CONDITION_LEAVES = 200;
/** A condition written as text, in characters. */
export const MAX_CONDITION_TEXT = 20_000;
/** Values in one "one of" list. */
export const MAX_CONDITION_VALUES = 1000;
