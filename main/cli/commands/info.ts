import { resolve } from 'node:path';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { formatBytes, formatClock, formatCount } from '../../../shared/format';
import type { Command } from '../command';
import { table } from '../text-table';
import { CLEAN_OPTION, openProjectFile } from './project-args';

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show a project: format version, databases with profile counts, campaigns',
  usage: 'info FILE.cplan',
  help: `Opens the file read-only (it is checked as the app checks it) and prints what it holds.

Example:
  cplan info spring.cplan --json`,
  options: { ...CLEAN_OPTION },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, engine }) {
    const file = resolve(String(positionals[0]));
    await openProjectFile(engine, file, values);
    const info = await engine.call('project/info', {});
    const lines = [
      `Project     ${info.name}`,
      `File        ${info.path ?? file}${info.sizeBytes === null ? '' : ` (${formatBytes(info.sizeBytes)})`}`,
      `Format      version ${info.fileSchemaVersion ?? info.schemaVersion}, created with Campaign Planner ${info.createdWith}` +
        (info.fileSchemaVersion !== null && info.fileSchemaVersion < info.schemaVersion
          ? ` (saving upgrades it to version ${info.schemaVersion})`
          : ''),
      `Clock       ${formatClock(info.clock)}`,
    ];
    if (info.description) lines.push(`About       ${info.description}`);
    lines.push('', info.databases.length === 0 ? 'Databases   none' : 'Databases');
    if (info.databases.length > 0) {
      lines.push(table(['Name', 'Profiles'], info.databases.map((d) => [d.name, formatCount(d.profileCount)]), ['left', 'right']));
    }
    lines.push('', info.campaigns.length === 0 ? 'Campaigns   none' : 'Campaigns');
    if (info.campaigns.length > 0) {
      lines.push(
        table(
          ['Name', 'Status', 'Database'],
          info.campaigns.map((c) => [c.name, CAMPAIGN_STATUS_LABELS[c.status], c.databaseName]),
        ),
      );
    }
    return { data: info, text: lines.join('\n') };
  },
};
