import { CSV_ENCODINGS } from '../../../shared/contract/index';
import type { ImportPreview } from '../../../shared/contract/index';

export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const ENCODING_LABELS: Readonly<Record<CsvEncoding, string>> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1251': 'Windows-1251 (Cyrillic)',
  'windows-1252': 'Windows-1252 (Western European)',
};

export const LINE_ENDING_LABELS: Readonly<Record<ImportPreview['lineEnding'], string>> = {
  lf: 'LF (Unix, macOS)',
  crlf: 'CRLF (Windows)',
  cr: 'CR (classic Mac)',
  mixed: 'Mixed',
  none: 'None (one line)',
};

export const DATE_ORDER_LABELS = {
  dmy: 'Day first (31.12.2024)',
  mdy: 'Month first (12/31/2024)',
  iso: 'ISO dates only (2024-12-31)',
} as const;
