import { z } from 'zod';
import { method } from './method';
import { OpenProjectState } from './project';
import { MAX_SEED } from './limits';

export const DEMO_DEFAULT_PROFILES = 50_000;
export const DEMO_DEFAULT_SEED = 'demo';

export const demoMethods = {
  'demo/create': method({
    doc: 'Start a new, unsaved demo project: a "Customers" database with a realistic generated audience.',
    args: z.strictObject({
      profiles: z.number().int().min(1).max(2_000_000).default(DEMO_DEFAULT_PROFILES),
      seed: z.string().min(1).max(MAX_SEED).default(DEMO_DEFAULT_SEED),
      /**
       * Set the project clock back to the start of the events' year, to replay it: the
       * audience is as of today, its year of events lies ahead and happens as the clock moves.
       */
      replay: z.boolean().optional(),
      discard: z.boolean().optional(),
    }),
    result: OpenProjectState,
    long: true,
  }),
} as const;
