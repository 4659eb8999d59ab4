import { open } from 'node:fs/promises';
import { PROFILE_ID_COLUMN, SUBSCRIPTION_COLUMN } from '../../../shared/domain/profiles';
import { ioError } from '../fs-errors';
import { generateProfiles, type DemoProfile, type GeneratorOptions } from './generator';

/** Column sets: every demo field, or the 8 columns of the import benchmark (about 60 bytes a row). */
export const DEMO_CSV_COLUMNS = {
  full: [PROFILE_ID_COLUMN, 'email', 'gender', 'birth_date', 'city', 'registered_at', 'last_purchase', 'purchases', 'revenue', SUBSCRIPTION_COLUMN],
  benchmark: [PROFILE_ID_COLUMN, 'gender', 'birth_date', 'city', 'registration_date', 'purchases', 'revenue', SUBSCRIPTION_COLUMN],
} as const;
export type DemoColumnSet = keyof typeof DEMO_CSV_COLUMNS;

function cell(profile: DemoProfile, column: string): string {
  switch (column) {
    case PROFILE_ID_COLUMN: return profile.profileId;
    case 'email': return profile.email;
    case 'gender': return profile.gender ?? '';
    case 'birth_date': return profile.birthDate;
    case 'city': return profile.city;
    case 'registered_at': return profile.registeredAt;
    case 'registration_date': return profile.registeredAt.slice(0, 10);
    case 'last_purchase': return profile.lastPurchase ?? '';
    case 'purchases': return String(profile.purchases);
    case 'revenue': return String(profile.revenue);
    case SUBSCRIPTION_COLUMN: return profile.subscription;
    default: throw new Error(`unknown demo column ${column}`);
  }
}

export interface DemoCsvOptions extends GeneratorOptions {
  readonly columns?: DemoColumnSet;
  readonly delimiter?: string;
  readonly bom?: boolean;
  readonly lineEnding?: '\n' | '\r\n';
}

/**
 * Writes a generated audience as CSV (UTF-8), streamed, for tests and benchmarks. Demo
 * values never contain the delimiter or quotes, so no cell needs quoting. A file that
 * cannot be written gives an EngineError naming it.
 */
export async function writeDemoCsv(path: string, options: DemoCsvOptions): Promise<{ rows: number; bytes: number }> {
  const columns = DEMO_CSV_COLUMNS[options.columns ?? 'full'];
  const delimiter = options.delimiter ?? ',';
  const eol = options.lineEnding ?? '\n';
  const handle = await open(path, 'w').catch((error: unknown) => {
    throw ioError(error, path, 'create');
  });
  let bytes = 0;
  let rows = 0;
  let batch = (options.bom ? '\uFEFF' : '') + columns.join(delimiter) + eol;
  const flush = async () => {
    const buffer = Buffer.from(batch);
    batch = '';
    bytes += buffer.byteLength;
    await handle.write(buffer).catch((error: unknown) => {
      throw ioError(error, path, 'write');
    });
  };
  try {
    for (const profile of generateProfiles(options)) {
      batch += columns.map((c) => cell(profile, c)).join(delimiter) + eol;
      rows += 1;
      if (batch.length > 1 << 20) await flush();
    }
    await flush();
  } finally {
    await handle.close();
  }
  return { rows, bytes };
}
