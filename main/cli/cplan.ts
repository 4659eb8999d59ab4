/**
 * `cplan`: Campaign Planner from a terminal, on the same engine as the app.
 * Exit codes: 0 success, 1 the command failed, 2 the command line is wrong.
 */
import { parseArgs } from 'node:util';
import { EngineError } from '../../shared/contract/errors';
import { APP_VERSION } from '../../shared/version';
import { startCliEngine, type CliEngine } from './cli-engine';
import { UsageError, type Command } from './command';
import { databaseCommand } from './commands/database';
import { demoCommand } from './commands/demo';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { infoCommand } from './commands/info';
import { newCommand } from './commands/new';
import { activityCommand } from './commands/activity';
import { campaignCommand } from './commands/campaign';
import { clockCommand } from './commands/clock';
import { gcgCommand } from './commands/gcg';
import { segmentCommand } from './commands/segment';
import { splitCommand } from './commands/split';
import { sqlCommand } from './commands/sql';
import { simulateCommand } from './commands/simulate';
import { eventsCommand } from './commands/events';
import { analyzeCommand } from './commands/analyze';
import { CLEAN_HELP } from './commands/project-args';

export const COMMANDS: readonly Command[] = [
  newCommand,
  infoCommand,
  databaseCommand,
  importCommand,
  exportCommand,
  demoCommand,
  segmentCommand,
  gcgCommand,
  campaignCommand,
  activityCommand,
  clockCommand,
  splitCommand,
  sqlCommand,
  simulateCommand,
  eventsCommand,
  analyzeCommand,
];

const GLOBAL_HELP = `cplan ${APP_VERSION}: Campaign Planner from a terminal

Usage: cplan COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Every command takes:
  --json        print the result as JSON (errors too, on stdout; the message also goes to stderr)
  -h, --help    show the command's help
Commands that open a FILE.cplan also take --clean (see their help).

Run "cplan COMMAND --help" for a command's options.
`;

function commandHelp(command: Command): string {
  const clean = 'clean' in command.options ? `\n${CLEAN_HELP}\n` : '';
  return `Usage: cplan ${command.usage} [--json]\n\n${command.summary}.\n\n${command.help}\n${clean}`;
}

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  const end = argv.indexOf('--');
  const wantsJson = (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  if (first === undefined) {
    io.stderr(GLOBAL_HELP);
    return 2;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest[0] === undefined)) {
    io.stdout(GLOBAL_HELP);
    return 0;
  }
  if (first === 'help') {
    const target = COMMANDS.find((c) => c.name === rest[0]);
    if (!target) {
      io.stderr(`cplan: unknown command "${rest[0]}". Run "cplan --help" for the list.\n`);
      return 2;
    }
    io.stdout(commandHelp(target));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(wantsJson ? `${JSON.stringify({ version: APP_VERSION })}\n` : `${APP_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  let engine: CliEngine | null = null;
  try {
    if (!command) throw new UsageError(`unknown command "${first}". Run "cplan --help" for the list.`);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}. Run "cplan ${command.name} --help".`);
    }
    if (parsed.values.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const { min, max } = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`usage: cplan ${command.usage}`);
    }
    engine = await startCliEngine();
    const output = await command.run({ values: parsed.values, positionals: parsed.positionals, engine });
    io.stdout(wantsJson ? `${JSON.stringify(output.data, null, 2)}\n` : `${output.text}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    const payload =
      error instanceof EngineError
        ? error.toPayload()
        : { code: usage ? 'INVALID_ARGUMENT' : 'INTERNAL', message: (error as Error).message };
    io.stderr(`cplan: ${oneLine(payload.message)}\n`);
    // A condition's mistake is shown with its line and a caret under the place.
    const excerpt = error instanceof UsageError ? error.excerpt : error instanceof EngineError ? error.details?.excerpt : undefined;
    if (typeof excerpt === 'string') io.stderr(`${excerpt.replace(/^/gm, '  ')}\n`);
    if (wantsJson) io.stdout(`${JSON.stringify({ ok: false, error: payload }, null, 2)}\n`);
    return usage ? 2 : 1;
  } finally {
    await engine?.dispose();
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
