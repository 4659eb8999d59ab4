import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../../main/app/lifecycle';
import launchFlags from '../../../main/host/launch-flags.json';
import { tempDir } from '../../helpers/temp-dir';

// electron-builder cannot build installers here (no downloads), but its own parser,
// schema check and packer run offline: the config is checked by all three.
const root = process.cwd();
const require = createRequire(import.meta.url);
// Transitive dependencies of electron-builder, without type declarations of their own.
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};
const asar = require('@electron/asar') as { listPackage(archive: string, options: object): string[] };
// The library electron-builder flips the fuses with; read back to see what a package got.
const fuses = require('@electron/fuses') as {
  getCurrentFuseWire(binary: string): Promise<Record<string, unknown>>;
  FuseV1Options: Record<string, number>;
};
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** electron-builder's own JSON schema of its configuration. */
const builderSchema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
  definitions: { FuseOptionsV1: { properties: Record<string, { type?: string }> } };
};

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraMetadata: { main: string };
  fileAssociations: { ext: string; name: string; description: string; role: string; mimeType: string }[];
  linux: { target: string[]; category: string; maintainer: string; icon: string; mimeTypes: string[]; executableArgs: string[] };
  win: { target: string[]; icon: string };
  nsis: { oneClick: boolean; allowToChangeInstallationDirectory: boolean };
  mac: { target: string[]; category: string; icon: string };
  electronFuses: Record<string, unknown>;
}

/** What each fuse must be in a packaged app (README, "Security"). */
const EXPECTED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
};

/** The FuseV1Options name of each electron-builder fuse key (fuse wire order). */
const FUSE_OPTION_OF: Record<keyof typeof EXPECTED_FUSES, string> = {
  runAsNode: 'RunAsNode',
  enableCookieEncryption: 'EnableCookieEncryption',
  enableNodeOptionsEnvironmentVariable: 'EnableNodeOptionsEnvironmentVariable',
  enableNodeCliInspectArguments: 'EnableNodeCliInspectArguments',
  enableEmbeddedAsarIntegrityValidation: 'EnableEmbeddedAsarIntegrityValidation',
  onlyLoadAppFromAsar: 'OnlyLoadAppFromAsar',
  loadBrowserProcessSpecificV8Snapshot: 'LoadBrowserProcessSpecificV8Snapshot',
  grantFileProtocolExtraPrivileges: 'GrantFileProtocolExtraPrivileges',
};

/** Fuse states in the binary: ASCII '0' (off) and '1' (on). */
const FUSE_OFF = 48;
const FUSE_ON = 49;

/**
 * A stand-in Electron executable: a shell script carrying a fuse wire (version 1, eight
 * fuses) set as a stock Electron ships it, so the packager must flip each one.
 */
function standInElectron(): Buffer {
  const stock = [FUSE_ON, FUSE_OFF, FUSE_ON, FUSE_ON, FUSE_OFF, FUSE_OFF, FUSE_OFF, FUSE_ON];
  return Buffer.concat([Buffer.from(`#!/bin/sh\n# ${FUSE_SENTINEL}`, 'latin1'), Buffer.from([1, stock.length, ...stock]), Buffer.from('\n')]);
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const data = readFileSync(file);
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Files under dist/ matching a one-level glob such as dist/main/*worker*.cjs. */
function matches(pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = join(root, pattern.slice(0, slash));
  const name = new RegExp(`^${pattern.slice(slash + 1).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
  return existsSync(dir) ? readdirSync(dir).filter((file) => name.test(file)) : [];
}

describe('electron-builder.yml', () => {
  it('parses, and passes electron-builder’s own schema check', async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
  });

  it('names the app and the file type it opens', () => {
    expect(config.appId).toBe('app.campaignplanner.desktop');
    expect(config.productName).toBe('Campaign Planner');
    expect(config.directories.output).toBe('release');
    expect(config.fileAssociations).toEqual([
      {
        ext: 'cplan',
        name: 'Campaign Planner project',
        description: 'Campaign Planner project',
        role: 'Editor',
        mimeType: 'application/x-campaign-planner',
      },
    ]);
    expect(config.linux.mimeTypes).toEqual(['application/x-campaign-planner']);
  });

  it('starts the Linux app with the host process’s V8 flags', () => {
    expect(config.linux.executableArgs).toEqual([`--js-flags=${launchFlags.node.join(' ')}`]);
  });

  it('builds AppImage and deb, an NSIS installer that asks where, and a dmg', () => {
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], category: 'Office' });
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, allowToChangeInstallationDirectory: true });
    expect(config.mac).toMatchObject({ target: ['dmg'], category: 'public.app-category.business' });
  });

  it('starts the same entry as package.json, and that entry is built', () => {
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(existsSync(join(root, config.extraMetadata.main))).toBe(true);
    expect(pkg.scripts.dist).toContain('--config electron-builder.yml');
  });

  it('unpacks the engine worker and its WebAssembly from the archive', () => {
    expect(config.asar).toBe(true);
    for (const pattern of config.asarUnpack) expect(matches(pattern), pattern).not.toEqual([]);
    expect(matches(config.asarUnpack[0] ?? '')).toContain('engine-worker.cjs');
    expect(matches(config.asarUnpack[1] ?? '')).toContain('sql-wasm.wasm');
  });

  it('turns off running as Node, NODE_OPTIONS and --inspect, and loads only the checked app.asar', () => {
    expect(config.electronFuses).toEqual(EXPECTED_FUSES);
  });

  it('sets only fuses electron-builder’s schema knows, each to true or false', async () => {
    const known = builderSchema.definitions.FuseOptionsV1.properties;
    for (const [name, value] of Object.entries(config.electronFuses)) {
      expect(known[name]?.type, name).toBe('boolean');
      expect(typeof value, name).toBe('boolean');
    }
    // The schema check above is the same one that rejects a misspelt fuse.
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNodes: false } };
    await expect(validateConfiguration(misspelt, { isEnabled: false, add: () => undefined })).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('is described fuse by fuse in the README’s Security section', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^ *\| `(\w+)` \| (on|off) \|/gm)].map(([, name, state]) => [name, state === 'on']);
    expect(Object.fromEntries(rows)).toEqual(config.electronFuses);
  });

  it('has icons of the sizes each platform needs', () => {
    expect(pngSize(join(root, config.win.icon))).toEqual({ width: 512, height: 512 });
    expect(pngSize(join(root, config.mac.icon))).toEqual({ width: 1024, height: 1024 });
    expect(statSync(join(root, config.linux.icon)).isDirectory()).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(join(root, config.linux.icon, `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
    expect(readFileSync(join(root, 'assets/icon.svg'), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
  });

  it('packs a runnable layout with its fuses flipped (with a stand-in Electron distribution)', async () => {
    const electronDist = tempDir();
    writeFileSync(join(electronDist, 'electron'), standInElectron());
    chmodSync(join(electronDist, 'electron'), 0o755);
    mkdirSync(join(electronDist, 'resources'));
    const output = tempDir();
    execFileSync(
      process.execPath,
      [
        require.resolve('electron-builder/cli.js'),
        '--config', 'electron-builder.yml',
        '--linux', '--dir',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`,
      ],
      { cwd: root, stdio: 'pipe', timeout: 120_000 },
    );
    const resources = join(output, 'linux-unpacked', 'resources');
    const archive = join(resources, 'app.asar');
    const inArchive = new Set(asar.listPackage(archive, {}).map((entry) => entry.replaceAll('\\', '/')));
    expect(inArchive).toContain('/dist/main/app.cjs');
    expect(inArchive).toContain('/dist/main/preload.cjs');
    expect(inArchive).toContain('/assets/icon.png');
    expect([...inArchive].some((entry) => entry.startsWith('/node_modules'))).toBe(false);
    expect([...inArchive].some((entry) => entry.endsWith('.map'))).toBe(false);
    if (existsSync(join(root, 'dist/renderer/index.html'))) expect(inArchive).toContain('/dist/renderer/index.html');

    // The paths the main process computes inside the package all exist there.
    const paths = appPaths(join(archive, 'dist', 'main'));
    expect(existsSync(paths.engineWorker)).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'dist', 'main', 'sql-wasm.wasm'))).toBe(true);
    for (const inside of [paths.preload, paths.icon]) {
      expect(inArchive).toContain(inside.slice(archive.length).replaceAll('\\', '/'));
    }
    const executable = join(output, 'linux-unpacked', 'campaign-planner');
    expect(executableExists(executable)).toBe(true);

    const wire = await fuses.getCurrentFuseWire(executable);
    const flipped = Object.fromEntries(
      Object.entries(FUSE_OPTION_OF).map(([name, option]) => [name, wire[String(fuses.FuseV1Options[option])] === FUSE_ON]),
    );
    expect(flipped).toEqual(EXPECTED_FUSES);
  }, 180_000);
});

function executableExists(file: string): boolean {
  return existsSync(file) && (statSync(file).mode & 0o111) !== 0;
}
