/**
 * `cplan analyze`: a campaign's analytics from a terminal. The metric is read by the one
 * metric syntax (shared/analytics/metric-text.ts); with --outcomes the file is imported for
 * the campaign first, and a metric that is one of its column names (without case) means
 * that column. The analysis is kept in the project file unless --no-save; --html and --csv write
 * the report through the engine (analytics/report). Nothing is saved when anything fails.
 */
import { basename, resolve } from 'node:path';
import { METRIC_SYNTAX_HELP, parseMetric, printMetric } from '../../../shared/analytics/metric-text';
import type { MetricDefinition, OutcomeFile } from '../../../shared/contract/analytics';
import { formatBytes, formatCount } from '../../../shared/format';
import { sameName } from '../../../shared/names';
import type { CliEngine } from '../cli-engine';
import { UsageError, type Command } from '../command';
import { analysisText } from './analyze-text';
import { requiredOption, resolveCampaign, stringOption, type Values } from './plan-args';
import { CLEAN_OPTION, openProjectFile, projectPath, suggestForce, withTerminalProgress } from './project-args';

/**
 * A metric flag's value as a metric: a column name of the outcome file (compared as the
 * engine compares them, without case) means that column; anything else is read by the
 * metric syntax (a usage error, with the syntax, when it cannot be).
 */
export function metricOption(option: string, text: string, columns: readonly string[]): MetricDefinition {
  const column = columns.find((name) => sameName(name, text.trim()));
  if (column !== undefined) return { kind: 'outcome', column };
  const parsed = parseMetric(text);
  if (!parsed.ok) {
    // parseMetric's message ends with the syntax (METRIC_SYNTAX_HELP).
    const known = columns.length > 0 ? ` The outcome file's columns are ${columns.map((c) => `"${c}"`).join(', ')}.` : '';
    throw new UsageError(`--${option} "${text}": ${parsed.error}${known}`);
  }
  return parsed.metric;
}

/** --html or --csv: a file name with the right ending, resolved against the working folder. */
function reportPath(values: Values, format: 'html' | 'csv'): string | undefined {
  const path = stringOption(values, format);
  if (path === undefined) return undefined;
  const endings = format === 'html' ? /\.html?$/i : /\.csv$/i;
  if (!endings.test(path)) throw new UsageError(`the --${format} file name must end in ${format === 'html' ? '.html' : '.csv'}: ${path}`);
  return resolve(path);
}

/** Imports the outcome file for the campaign (all or nothing, replacing its earlier one). */
async function importOutcomes(engine: CliEngine, campaignId: number, path: string, idColumn: string | undefined): Promise<OutcomeFile> {
  return withTerminalProgress(engine, () => engine.call('analytics/importOutcomes', { campaignId, path, ...(idColumn === undefined ? {} : { idColumn }) }));
}

function outcomesLine(file: OutcomeFile): string {
  const unknown = file.unknownProfiles > 0 ? `; ${file.unknownProfiles === 1 ? '1 row names' : `${formatCount(file.unknownProfiles)} rows name`} no profile of the database and ${file.unknownProfiles === 1 ? 'was' : 'were'} left out (${file.unknownExamples.slice(0, 3).join(', ')}${file.unknownProfiles > 3 ? ', …' : ''})` : '';
  return `Imported ${file.fileName}: ${formatCount(file.rows)} rows, columns ${file.columns.map((c) => `"${c.name}" (${c.binary ? 'yes/no' : 'number'})`).join(', ')}${unknown}.`;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Measure a campaign against its LCG: uplift with intervals, checks, strata; an HTML or CSV report',
  usage: 'analyze FILE.cplan --campaign NAME --metric METRIC [--covariate METRIC] [--outcomes OUT.csv [--id-column C]] [--html REPORT.html] [--csv REPORT.csv] [--force] [--no-save]',
  help: `Compares the campaign's Test group with its LCG on a metric (and the GCG members of its
segment, and all campaigns of the database against the GCG, when the database has a GCG):
the groups, the uplift (absolute and relative, each with its 95 % interval and p-value),
the incremental conversions or amount, the sample ratio check, the post-stratified and
CUPED estimates, the strata, the uplift by day, the LCG's age and drift, warnings, and a
sentence to act on. See the README, section "Campaign analytics".

Options:
  --campaign NAME      the campaign (a name, or its id)
  --metric METRIC      what to measure (below)
  --covariate METRIC   the same measure before entry, for CUPED (such as
                       "sum purchase 90d before entry")
  --outcomes FILE.csv  import this outcome file for the campaign first (profile ID and
                       number or yes/no columns; it replaces the campaign's earlier one);
                       a METRIC that is one of its column names (without case) means
                       that column
  --id-column C        the outcome file's ID column: a header name or #3 (default: the
                       column named like an ID, as cplan split finds it)
  --html REPORT.html   also write the analysis as a self-contained HTML report
  --csv REPORT.csv     also write every figure as CSV (section,key,value)
  --force              replace REPORT.html or REPORT.csv if it exists
  --no-save            do not keep the analysis (nor the imported outcomes) in FILE.cplan

Metrics (MEASURE TYPE WINDOW [after|before ANCHOR]):
  converted purchase 14d               at least one purchase in the 14 days after entry (0/1)
  count open 30d after activation      the number of opens in the 30 days after activation
  sum purchase 4w after first-run      the purchases' amount in the 4 weeks after the first run
  sum purchase 90d before entry        the same in the 90 days before entry (a CUPED covariate)
  column revenue                       the column "revenue" of the campaign's outcome file
MEASURE is converted, count or sum; an event type with spaces goes in double quotes;
"within" may stand before the window; WINDOW is days (14d) or weeks (2w); ANCHOR is entry
(default), activation or first-run.

The analysis is kept with the campaign in FILE.cplan (saved atomically) unless --no-save.
With --json every figure of the analysis is printed with self-explaining keys (the
AnalysisResult: groups, uplift.absolute.low/high/p, uplift.relative, srm.chiSquare and .p,
postStratified, cuped, strata, daily, gcg, lcgAge, warnings, summary), with analysisId,
saved, outcomeFile and reports.

Examples:
  cplan analyze spring.cplan --campaign "Spring sale" --metric "converted purchase 14d"
  cplan analyze spring.cplan --campaign "Spring sale" --metric "sum purchase 30d" --covariate "sum purchase 90d before entry" --html spring.html
  cplan analyze spring.cplan --campaign "Spring sale" --outcomes orders.csv --id-column customer --metric revenue --json`,
  options: {
    ...CLEAN_OPTION,
    campaign: { type: 'string' },
    metric: { type: 'string' },
    covariate: { type: 'string' },
    outcomes: { type: 'string' },
    'id-column': { type: 'string' },
    html: { type: 'string' },
    csv: { type: 'string' },
    force: { type: 'boolean' },
    'no-save': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, engine }) {
    const file = projectPath(positionals[0]);
    const campaignName = requiredOption(values, 'campaign', 'NAME');
    const metricText = stringOption(values, 'metric');
    if (metricText === undefined || metricText.trim() === '') throw new UsageError(`--metric METRIC is required. ${METRIC_SYNTAX_HELP}`);
    const covariateText = stringOption(values, 'covariate');
    const outcomes = stringOption(values, 'outcomes');
    const idColumn = stringOption(values, 'id-column');
    if (idColumn !== undefined && outcomes === undefined) throw new UsageError('--id-column goes with --outcomes FILE.csv');
    const reports = (['html', 'csv'] as const).flatMap((format) => {
      const path = reportPath(values, format);
      return path === undefined ? [] : [{ format, path }];
    });
    const save = values['no-save'] !== true;
    // Without an outcome file the metrics are read before the project is opened.
    if (outcomes === undefined) {
      metricOption('metric', metricText, []);
      if (covariateText !== undefined) metricOption('covariate', covariateText, []);
    }

    await openProjectFile(engine, file, values);
    const campaign = await resolveCampaign(engine, campaignName);
    const outcomeFile = outcomes === undefined ? null : await importOutcomes(engine, campaign.id, resolve(outcomes), idColumn);
    const columns = outcomeFile?.columns.map((c) => c.name) ?? [];
    const metric = metricOption('metric', metricText, columns);
    const covariate = covariateText === undefined ? null : metricOption('covariate', covariateText, columns);
    // A report is written from a kept analysis: it is kept in the open project, and the file saved only without --no-save.
    const { id, result } = await withTerminalProgress(engine, () => engine.call('analytics/run', { campaignId: campaign.id, metric, covariate, save: save || reports.length > 0 }));
    const written: { format: 'html' | 'csv'; path: string; bytes: number }[] = [];
    for (const report of reports) {
      const out = await engine.call('analytics/report', { id: id!, format: report.format, path: report.path, overwrite: values.force === true }).catch(suggestForce(report.path));
      written.push({ format: report.format, ...out });
    }
    if (save) await engine.call('project/save', {});

    const after = [
      ...(outcomeFile ? [outcomesLine(outcomeFile)] : []),
      save ? `Kept in ${basename(file)} as analysis #${id} (${printMetric(metric)}).` : 'Not kept (--no-save): the project file is unchanged.',
      ...written.map((w) => `Wrote the ${w.format.toUpperCase()} report ${w.path} (${formatBytes(w.bytes)}).`),
    ];
    const data = { ...result, analysisId: save ? id : null, saved: save, outcomeFile, reports: written };
    return { data, text: analysisText(result, after) };
  },
};
