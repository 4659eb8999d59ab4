/**
 * The problems of recent import runs, kept in engine memory for `import/report` (the
 * downloadable CSV error report). Per open project, the last RUNS_KEPT runs; per run, the
 * first PROBLEMS_KEPT problems (all of them are counted; the report says how many it
 * leaves out). Nothing of this goes into the project file.
 */
import Papa from 'papaparse';
import { EngineError } from '../../../shared/contract/errors';
import type { ImportProblem } from '../../../shared/contract/imports';
import { formatCount } from '../../../shared/format';
import type { ProjectSession } from '../project/session';
import { escapeFormulaGuard } from '../../../shared/csv-formula-guard';

export const RUNS_KEPT = 10;
export const PROBLEMS_KEPT = 100_000;

export interface ImportRun {
  readonly runId: string;
  readonly fileName: string;
  readonly problems: readonly ImportProblem[];
  readonly problemCount: number;
}

const runsBySession = new WeakMap<ProjectSession, ImportRun[]>();

export function rememberRun(session: ProjectSession, run: ImportRun): void {
  const runs = runsBySession.get(session) ?? [];
  runs.push(run);
  while (runs.length > RUNS_KEPT) runs.shift();
  runsBySession.set(session, runs);
}

export function findRun(session: ProjectSession, runId: string): ImportRun {
  const run = runsBySession.get(session)?.find((r) => r.runId === runId);
  if (!run) {
    throw new EngineError('NOT_FOUND', `There is no report for import run "${runId}": only the last ${RUNS_KEPT} runs of the open project are kept.`, { runId });
  }
  return run;
}

/**
 * The error report: one line per problem (row, column, value, code, reason). It is meant
 * to be opened in a spreadsheet, and values come from the user's file (=HYPERLINK(...)),
 * so text cells get the export's formula guard (shared/csv-formula-guard.ts).
 */
export function reportCsv(run: ImportRun): { fileName: string; csv: string; problemCount: number; truncated: boolean } {
  const rows: string[][] = run.problems.map((p) => [
    String(p.row),
    escapeFormulaGuard(p.column ?? ''),
    escapeFormulaGuard(p.value ?? ''),
    p.code,
    escapeFormulaGuard(p.relatedRow === undefined ? p.reason : `${p.reason}; first on row ${p.relatedRow}`),
  ]);
  const truncated = run.problemCount > run.problems.length;
  if (truncated) {
    const left = run.problemCount - run.problems.length;
    rows.push(['', '', '', '', `… and ${formatCount(left)} more problems, not listed: a report keeps the first ${formatCount(PROBLEMS_KEPT)}.`]);
  }
  const csv = Papa.unparse({ fields: ['row', 'column', 'value', 'code', 'reason'], data: rows }, { newline: '\r\n' });
  const base = run.fileName.replace(/\.[^.]*$/, '') || 'import';
  return { fileName: `${base}-errors.csv`, csv: `${csv}\r\n`, problemCount: run.problemCount, truncated };
}
