import { z } from 'zod';
import { FilePath, Instant } from './common';
import { method } from './method';

export const DirectoryEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['directory', 'file']),
  sizeBytes: z.number().int().nullable(),
  modifiedAt: Instant.nullable(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

export const DirectoryListing = z.object({
  /** The absolute, normalised folder that was listed. */
  dir: z.string(),
  /** Its parent folder; null at a root. */
  parent: z.string().nullable(),
  /** The user's home folder, for a "Home" shortcut. */
  home: z.string(),
  /** Folders first, then files, each sorted by name. Hidden entries are left out. */
  entries: z.array(DirectoryEntry),
});
export type DirectoryListing = z.infer<typeof DirectoryListing>;

const Extension = z.string().regex(/^\.[a-z0-9]{1,10}$/, 'Expected an extension like ".cplan".');

export const fileMethods = {
  'files/list': method({
    doc: 'List a folder on this computer (folders and files with the given extensions), for the in-app file browser.',
    args: z.strictObject({
      dir: FilePath.optional(),
      extensions: z.array(Extension).max(10).optional(),
    }),
    result: DirectoryListing,
    concurrent: true,
  }),
} as const;
