/**
 * The `cplan` command as users run it: the real bundle (dist/cli/cplan.cjs, built by the
 * global setup) in a child process, on real files in a temp folder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../shared/contract/errors';
import { makeBadProjectFiles, type BadProjectFile, type BadProjectFileKind } from '../../helpers/bad-files';
import { tempDir } from '../../helpers/temp-dir';
import { LATEST_SCHEMA_VERSION } from '../../../main/engine/project/schema';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CPLAN = join(ROOT, 'dist', 'cli', 'cplan.cjs');
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface JsonFailure {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
}

interface JsonInfo {
  readonly name: string;
  readonly path: string;
  readonly schemaVersion: number;
  readonly databases: unknown[];
  readonly campaigns: unknown[];
}

/** Where the CLI may put temporary files (its TMPDIR); checked to be empty afterwards. */
let cliTemp = '';

/** Runs `node dist/cli/cplan.cjs ARGS` in `cwd`; never rejects on a non-zero exit. */
function cplan(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [CPLAN, ...args],
      { cwd, env: { ...process.env, TMPDIR: cliTemp, TMP: cliTemp, TEMP: cliTemp }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: child.exitCode, stdout, stderr });
      },
    );
  });
}

/** An error as users see it: exactly one line on stderr, prefixed with the command name. */
function expectOneLineError(run: Run): string {
  expect(run.stderr).toMatch(/^cplan: [^\n]+\n$/);
  expect(run.stderr).not.toMatch(/Unexpected error|INTERNAL|\bat .+:\d+:\d+/);
  return run.stderr.slice('cplan: '.length, -1);
}

function parseJson<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

let work = '';

beforeEach(() => {
  work = tempDir('cplan-cli-test-');
  cliTemp = join(work, 'tmp');
  mkdirSync(cliTemp);
});

describe('cplan new and cplan info', () => {
  it('creates a project file and names it', async () => {
    const run = await cplan(work, 'new', 'x.cplan');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[^\n]*x\.cplan[^\n]*\n$/);
    const file = join(work, 'x.cplan');
    expect(existsSync(file)).toBe(true);
    // A project file is the SQLite database itself.
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
  });

  it('shows a new project as JSON: the latest format version, its name, no databases and no campaigns', async () => {
    expect((await cplan(work, 'new', 'x.cplan')).code).toBe(0);
    const run = await cplan(work, 'info', 'x.cplan', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const info = parseJson<JsonInfo>(run.stdout);
    expect(info).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, fileSchemaVersion: LATEST_SCHEMA_VERSION, name: 'x', databases: [], campaigns: [] });
    // The CLI resolves FILE against its working folder (a real path, on macOS too).
    expect(info.path).toBe(join(realpathSync(work), 'x.cplan'));
  });

  it('uses the name given with --name', async () => {
    expect((await cplan(work, 'new', 'spring.cplan', '--name', 'Spring campaigns')).code).toBe(0);
    const info = parseJson<JsonInfo>((await cplan(work, 'info', 'spring.cplan', '--json')).stdout);
    expect(info.name).toBe('Spring campaigns');
  });

  it('shows a project as text: its name, its databases and its campaigns', async () => {
    expect((await cplan(work, 'new', 'x.cplan', '--name', 'Autumn plan')).code).toBe(0);
    const run = await cplan(work, 'info', 'x.cplan');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Autumn plan');
    expect(run.stdout).toContain('Databases');
    expect(run.stdout).toContain('Campaigns');
  });

  it('reads a project without changing a byte of it', async () => {
    expect((await cplan(work, 'new', 'x.cplan')).code).toBe(0);
    const file = join(work, 'x.cplan');
    const before = sha256(file);
    expect((await cplan(work, 'info', 'x.cplan')).code).toBe(0);
    expect((await cplan(work, 'info', 'x.cplan', '--json')).code).toBe(0);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(work).sort()).toEqual(['tmp', 'x.cplan']);
  });

  it('refuses to replace an existing file unless --force is given', async () => {
    expect((await cplan(work, 'new', 'x.cplan', '--name', 'First')).code).toBe(0);
    const file = join(work, 'x.cplan');
    const before = sha256(file);

    const refused = await cplan(work, 'new', 'x.cplan', '--name', 'Second');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(expectOneLineError(refused)).toContain('--force');
    expect(sha256(file)).toBe(before);

    const json = await cplan(work, 'new', 'x.cplan', '--json');
    expect(json.code).toBe(1);
    expect(parseJson<JsonFailure>(json.stdout)).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });

    const forced = await cplan(work, 'new', 'x.cplan', '--name', 'Second', '--force');
    expect(forced.code).toBe(0);
    expect(parseJson<JsonInfo>((await cplan(work, 'info', 'x.cplan', '--json')).stdout).name).toBe('Second');
  });

  it('refuses a file name without .cplan as a usage error, and creates nothing', async () => {
    const run = await cplan(work, 'new', 'x.txt');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain('.cplan');
    expect(existsSync(join(work, 'x.txt'))).toBe(false);
  });

  it('says which folder is missing when the file cannot be created', async () => {
    const run = await cplan(work, 'new', join('no-such-folder', 'x.cplan'));
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toContain('no-such-folder');
  });

  it('leaves no temporary files behind, after success or failure', async () => {
    await cplan(work, 'new', 'x.cplan');
    await cplan(work, 'info', 'x.cplan');
    writeFileSync(join(work, 'empty.cplan'), '');
    expect((await cplan(work, 'info', 'empty.cplan')).code).toBe(1);
    expect((await cplan(work, 'new', 'x.cplan')).code).toBe(1);
    expect(readdirSync(cliTemp)).toEqual([]);
    expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('cplan info on files that are not projects it can open', () => {
  let dir = '';
  let bad: Record<BadProjectFileKind, BadProjectFile>;
  const before = new Map<string, string>();

  beforeAll(async () => {
    // Kept for the whole block (tempDir() would be removed after the first test).
    dir = mkdtempSync(join(tmpdir(), 'cplan-bad-files-'));
    bad = await makeBadProjectFiles(dir);
    for (const file of Object.values(bad)) {
      if (existsSync(file.path) && statSync(file.path).size < 1024 * 1024) before.set(file.path, sha256(file.path));
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the one-line message must tell the user, per refusal. */
  const SAYS: Partial<Record<ErrorCode, RegExp>> = {
    NOT_SQLITE: /not a Campaign Planner project/i,
    NOT_FOUND: /does not exist/i,
    CORRUPT_FILE: /damaged/i,
    FOREIGN_FILE: /not a Campaign Planner project/i,
    NEWER_VERSION: /newer version/i,
    UNSUPPORTED_FILE: /WAL/,
    FILE_TOO_LARGE: /larger than/i,
  };

  const KINDS: readonly BadProjectFileKind[] = [
    'empty',
    'textFile',
    'missing',
    'truncatedHalf',
    'truncatedMidPage',
    'damagedPage',
    'unreadableSchema',
    'foreignSqlite',
    'foreignApplicationId',
    'newerVersion',
    'walMode',
    'tooLarge',
  ];

  it.each(KINDS)('%s: one clear line on stderr and exit code 1', async (kind) => {
    const file = bad[kind];
    const run = await cplan(dir, 'info', file.path);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const message = expectOneLineError(run);
    expect(message).toContain(basename(file.path));
    expect(message).toMatch(SAYS[file.code] ?? /./);
  });

  it.each(KINDS)('%s: --json gives the specific error code on stdout', async (kind) => {
    const file = bad[kind];
    const run = await cplan(dir, 'info', file.path, '--json');
    expect(run.code).toBe(1);
    expectOneLineError(run);
    const output = parseJson<JsonFailure>(run.stdout);
    expect(output).toMatchObject({ ok: false, error: { code: file.code } });
    expect(typeof output.error.message).toBe('string');
  });

  // BUG (reported): openProjectBytes puts SQLite's multi-line quick_check output into the
  // message; the user's sentence should be one line, the findings belong in details.
  it('damagedPage: the JSON message is one line, with SQLite\'s findings in details', async () => {
    const run = await cplan(dir, 'info', bad.damagedPage.path, '--json');
    const { error } = parseJson<JsonFailure>(run.stdout);
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).not.toContain('\n');
    expect(error.details?.problems).toBeDefined();
  });

  // BUG (reported): a file of 1 GiB + 8 KiB is reported as "1.0 GB; ... up to 1.0 GB",
  // which reads as if the file were within the limit.
  it('tooLarge: the message shows the file as larger than the limit', async () => {
    const run = await cplan(dir, 'info', bad.tooLarge.path);
    const message = expectOneLineError(run);
    const sizes = message.match(/\d+(?:\.\d+)? (?:bytes|KB|MB|GB|TB)/g) ?? [];
    const saysLarger = /larger than|more than|exceeds/i.test(message);
    const showsDifferentSizes = sizes.length >= 2 && new Set(sizes).size === sizes.length;
    expect(saysLarger || showsDifferentSizes, message).toBe(true);
  });

  it('leaves the refused files as they were', async () => {
    await Promise.all(KINDS.map((kind) => cplan(dir, 'info', bad[kind].path)));
    for (const [path, hash] of before) expect(sha256(path), path).toBe(hash);
    expect(statSync(bad.tooLarge.path).size).toBeGreaterThan(1024 * 1024 * 1024);
    expect(existsSync(bad.missing.path)).toBe(false);
  });

  it('says that a folder is not a project file', async () => {
    const folder = join(dir, 'a-folder.cplan');
    mkdirSync(folder, { recursive: true });
    const run = await cplan(dir, 'info', folder);
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toMatch(/folder/i);
    const json = await cplan(dir, 'info', folder, '--json');
    const { error } = parseJson<JsonFailure>(json.stdout);
    expect(error.code).not.toBe('INTERNAL');
  });
});

describe('cplan command line', () => {
  it('prints help with --help and exits 0', async () => {
    const run = await cplan(work, '--help');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Usage: cplan COMMAND');
    expect(run.stdout).toMatch(/^\s+new\s+\S/m);
    expect(run.stdout).toMatch(/^\s+info\s+\S/m);
  });

  it.each([
    ['new', ['FILE.cplan', '--name', '--force']],
    ['info', ['FILE.cplan', '--json']],
  ])('describes "%s" with --help and exits 0', async (command, mentions) => {
    for (const flag of ['--help', '-h']) {
      const run = await cplan(work, command, flag);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`Usage: cplan ${command}`);
      for (const text of mentions) expect(run.stdout).toContain(text);
    }
  });

  it('prints help and exits 2 when no command is given', async () => {
    const run = await cplan(work);
    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toContain('Usage: cplan COMMAND');
  });

  it('refuses an unknown command with one line and exit code 2', async () => {
    const run = await cplan(work, 'frobnicate');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(expectOneLineError(run)).toContain('frobnicate');
  });

  it('refuses an unknown option with one line and exit code 2', async () => {
    const run = await cplan(work, 'info', 'x.cplan', '--frobnicate');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(expectOneLineError(run)).toContain('--frobnicate');
  });

  it("keeps an option error on one line even when Node's message has several", async () => {
    // parseArgs explains "--name -x" (a value that looks like an option) over three lines.
    const run = await cplan(work, 'new', 'x.cplan', '--name', '-x');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain('--name');
    expect(existsSync(join(work, 'x.cplan'))).toBe(false);
  });

  it.each([
    ['new', []],
    ['info', []],
    ['info', ['a.cplan', 'b.cplan']],
  ])('refuses "%s" with the wrong number of files, exit code 2', async (command, files) => {
    const run = await cplan(work, command, ...files);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain(`cplan ${command}`);
  });

  it('reports a usage error as JSON with --json', async () => {
    const run = await cplan(work, 'new', 'x.txt', '--json');
    expect(run.code).toBe(2);
    expectOneLineError(run);
    expect(parseJson<JsonFailure>(run.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('prints the version from package.json', async () => {
    const run = await cplan(work, '--version');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${PACKAGE_VERSION}\n`);
  });
});
