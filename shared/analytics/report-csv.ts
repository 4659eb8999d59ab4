/**
 * An analysis as CSV (`analytics/report`, format csv): one long table "section,key,value"
 * holding every figure of the AnalysisResult, under the names of its JSON. A top-level
 * figure is in section "analysis" (analysis,campaignName,…); a part is its own section with
 * the path inside it as the key (uplift,absolute.low,…). Items of a list are named by what
 * identifies them: groups by group (groups,test.profiles), strata by number
 * (strata,2.uplift.p), days by date (daily,2026-04-17.uplift.estimate), others by position
 * from 1 (warnings,1.text). Pairs are named too: observed.test and observed.lcg,
 * newcombe.low and newcombe.high. A missing figure (null) is an empty value.
 *
 * Numbers are written exactly (JavaScript's shortest round-trip text); yes/no as true and
 * false; text gets the app's formula guard (shared/csv-formula-guard.ts), since names come
 * from users and the file is meant for a spreadsheet. RFC 4180 quoting, CRLF line ends.
 */
import Papa from 'papaparse';
import type { AnalysisResult } from '../contract/analytics';
import { escapeFormulaGuard } from '../csv-formula-guard';
import { printMetric } from './metric-text';

export type CsvScalar = string | number | boolean | null;

export interface AnalysisCsvRow {
  readonly section: string;
  readonly key: string;
  readonly value: CsvScalar;
}

export const ANALYSIS_CSV_HEADER = ['section', 'key', 'value'] as const;

/** The names of a pair's two values, by the pair's name. */
const PAIR_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  observed: ['test', 'lcg'],
  expected: ['test', 'lcg'],
  newcombe: ['low', 'high'],
  sequential: ['low', 'high'],
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** What names an item of the list `list` (its position from 1 when nothing does). */
function itemName(list: string, item: unknown, index: number): string {
  if (isRecord(item)) {
    if (list === 'groups' && typeof item.group === 'string') return item.group;
    if (list === 'strata' && typeof item.stratum === 'number') return String(item.stratum);
    if (list === 'daily' && typeof item.day === 'string') return item.day;
  }
  return String(index + 1);
}

function flatten(value: unknown, path: readonly string[], emit: (path: readonly string[], v: CsvScalar) => void): void {
  const name = path[path.length - 1] ?? '';
  if (Array.isArray(value)) {
    const pair = PAIR_NAMES[name];
    if (pair && value.length === 2) {
      value.forEach((v, i) => flatten(v, [...path, pair[i]!], emit));
      return;
    }
    if (value.length === 0) emit(path, null);
    value.forEach((item, i) => flatten(item, [...path, itemName(name, item, i)], emit));
    return;
  }
  if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) flatten(v, [...path, key], emit);
    return;
  }
  if (value === null || value === undefined) emit(path, null);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') emit(path, value);
  else emit(path, String(value));
}

/** Every figure of the analysis as a row (section, key, value). */
export function analysisCsvRows(result: AnalysisResult): AnalysisCsvRow[] {
  const rows: AnalysisCsvRow[] = [];
  const emit = (path: readonly string[], value: CsvScalar) => {
    const [first, ...rest] = path;
    rows.push(rest.length === 0 ? { section: 'analysis', key: first ?? '', value } : { section: first!, key: rest.join('.'), value });
  };
  const syntax = { metricSyntax: printMetric(result.metric), covariateSyntax: result.covariate ? printMetric(result.covariate) : null };
  for (const [key, value] of Object.entries({ ...result, ...syntax })) flatten(value, [key], emit);
  return rows;
}

/** A value as its cell's text: numbers exactly, text guarded against formulas. */
function cellText(value: CsvScalar): string {
  if (value === null) return '';
  if (typeof value === 'string') return escapeFormulaGuard(value);
  return String(value);
}

/** The CSV text (UTF-8 without a byte order mark; the file writer adds one for spreadsheets). */
export function analysisCsv(result: AnalysisResult): string {
  const data = analysisCsvRows(result).map((r) => [r.section, r.key, cellText(r.value)]);
  return `${Papa.unparse({ fields: [...ANALYSIS_CSV_HEADER], data }, { newline: '\r\n' })}\r\n`;
}
