import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { helloExtension, writeExtension } from '../support/kernel-harness.js';
import { buildCli, langbot, readJson, ROOT, tempDataDir } from './cli-helpers.js';

const INVALID_MANIFEST = join(ROOT, 'test', 'fixtures', 'extensions', 'invalid-manifest', 'manifest.yaml');

/** A data folder with a valid drop-in (demo.hello in folder `hello`) and an invalid one (folder `broken`). */
function dataWithDropins(): string {
  const data = tempDataDir();
  writeExtension(join(data, 'extensions'), 'hello', helloExtension({ greeting: 'Hi' }));
  mkdirSync(join(data, 'extensions', 'broken'), { recursive: true });
  copyFileSync(INVALID_MANIFEST, join(data, 'extensions', 'broken', 'manifest.yaml'));
  return data;
}

beforeAll(() => buildCli());

describe('langbot ext list / info / doctor', () => {
  it('lists the built-ins and the drop-ins with their state', async () => {
    const data = dataWithDropins();
    const table = await langbot('ext', 'list', '--data', data);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/langbot\.hello-worker\s+0\.1\.0\s+builtin\s+worker\s+yes\s+not running/);
    expect(table.stdout).toMatch(/demo\.hello\s+1\.0\.0\s+dropin\s+worker\s+yes\s+not running/);

    const rows = JSON.parse((await langbot('ext', 'list', '--data', data, '--json', '--profile', 'full')).stdout);
    const byId = Object.fromEntries(rows.map((r: { id: string }) => [r.id, r]));
    for (const mode of ['inprocess', 'worker', 'process', 'isolate']) {
      expect(byId[`langbot.hello-${mode}`]).toMatchObject({ source: 'builtin', isolation: mode, enabled: true });
    }
    expect(byId['demo.hello']).toMatchObject({ source: 'dropin', state: 'not running' });
    expect(byId['invalid:broken']).toMatchObject({ source: 'dropin', state: 'invalid' });
  });

  it('explains an invalid manifest with file, JSON path and reason, in ext info and in doctor', async () => {
    const data = dataWithDropins();
    const file = join(data, 'extensions', 'broken', 'manifest.yaml');
    for (const id of ['invalid:broken', 'broken']) {
      const info = await langbot('ext', 'info', id, '--data', data);
      expect(info.code).toBe(0);
      expect(info.stdout).toContain('invalid:broken (invalid manifest)');
      expect(info.stdout).toContain(`${file}: /isolaton: Unknown property 'isolaton' (did you mean 'isolation'?)`);
      expect(info.stdout).toContain(`${file}: /version: 'version' must be a semantic version`);
    }
    const doctor = await langbot('doctor', '--data', data);
    expect(doctor.stdout).toMatch(/✔ Node\.js v\d+/);
    expect(doctor.stdout).toContain('⚠ invalid:broken');
    expect(doctor.stdout).toContain(`${file}: /isolaton: Unknown property`);
    expect(doctor.stdout).toMatch(/✔ demo\.hello +Ready to start \(eagerly\) under the worker host/);
    expect(doctor.code, doctor.stdout).toBe(0); // an invalid extension is a warning, not a failure
  });

  it('shows a manifest summary, and suggests a close id for an unknown one', async () => {
    const data = tempDataDir();
    const info = await langbot('ext', 'info', 'langbot.hello-isolate', '--data', data);
    expect(info.stdout).toMatch(/Isolation: +isolate/);
    expect(info.stdout).toMatch(/Contributes: +tools: hello-isolate/);
    expect(info.stdout).toMatch(/Config: +greeting \(string = "Hello"\)/);
    const unknown = await langbot('ext', 'info', 'langbot.hello-isolat', '--data', data);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Did you mean 'langbot.hello-isolate'?");
  });

  it('doctor explains extensions that are not in the profile or are disabled', async () => {
    const data = tempDataDir();
    writeFileSync(join(data, 'kernel.json'), JSON.stringify({ version: 1, settings: {}, extensions: { 'langbot.hello-worker': { enabled: false } } }));
    writeExtension(join(data, 'extensions'), 'needy', helloExtension({ id: 'demo.needy', greeting: 'Hi', extra: 'services: { requires: [llm] }' }));
    const doctor = await langbot('doctor', '--data', data, '--profile', 'core');
    expect(doctor.stdout).toMatch(/• langbot\.hello-worker +Disabled in kernel\.json\./);
    expect(doctor.stdout).toMatch(/• demo\.needy +Requires service 'llm', which no enabled extension provides\./);
  });
});

describe('langbot ext enable / disable / install / remove', () => {
  it('enable and disable write kernel.json', async () => {
    const data = tempDataDir();
    const disabled = await langbot('ext', 'disable', 'langbot.hello-worker', '--data', data);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('applies on the next start');
    expect(readJson(join(data, 'kernel.json')).extensions['langbot.hello-worker']).toEqual({ enabled: false });
    expect((await langbot('ext', 'list', '--data', data)).stdout).toMatch(/langbot\.hello-worker .* no +disabled +Disabled in kernel\.json/);
    await langbot('ext', 'enable', 'langbot.hello-worker', '--data', data);
    expect(readJson(join(data, 'kernel.json')).extensions['langbot.hello-worker']).toEqual({ enabled: true });
    expect((await langbot('ext', 'enable', 'nope', '--data', data)).code).toBe(1);
  });

  it('installs a valid folder (without node_modules) and a .tgz, and refuses an invalid one', async () => {
    const data = tempDataDir();
    const source = writeExtension(tempDataDir(), 'src', helloExtension({ id: 'demo.installed', greeting: 'Hi' }));
    writeExtension(source, 'node_modules/dep', { 'index.js': '' });
    const installed = await langbot('ext', 'install', source, '--data', data);
    expect(installed.code, installed.stderr).toBe(0);
    const target = join(data, 'extensions', 'demo.installed');
    expect(existsSync(join(target, 'manifest.yaml'))).toBe(true);
    expect(existsSync(join(target, 'node_modules'))).toBe(false);

    // npm pack layout: everything under package/; installing again replaces the previous version.
    const packed = tempDataDir();
    writeExtension(packed, 'package', helloExtension({ id: 'demo.installed', greeting: 'Hey' }));
    execFileSync('tar', ['-czf', join(packed, 'ext.tgz'), '-C', packed, 'package']);
    const fromTgz = await langbot('ext', 'install', join(packed, 'ext.tgz'), '--data', data);
    expect(fromTgz.code, fromTgz.stderr).toBe(0);
    expect(fromTgz.stdout).toContain('replacing 1.0.0');
    expect(readFileSync(join(target, 'index.ts'), 'utf8')).toContain('"Hey"');

    const bad = join(tempDataDir(), 'bad');
    mkdirSync(bad);
    copyFileSync(INVALID_MANIFEST, join(bad, 'manifest.yaml'));
    const refused = await langbot('ext', 'install', bad, '--data', data);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the manifest is invalid');
    expect(refused.stderr).toContain(`${join(bad, 'manifest.yaml')}: /id:`);
    expect(readdirSync(join(data, 'extensions'))).toEqual(['demo.installed']); // no staging folder left
  });

  it('removes drop-ins but refuses built-ins', async () => {
    const data = tempDataDir();
    const builtin = await langbot('ext', 'remove', 'langbot.hello-worker', '--data', data);
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toContain('is a built-in extension and cannot be removed');
    writeExtension(join(data, 'extensions'), 'hello', helloExtension({ greeting: 'Hi' }));
    mkdirSync(join(data, 'extension-data', 'demo.hello'), { recursive: true });
    await langbot('ext', 'disable', 'demo.hello', '--data', data);
    const removed = await langbot('ext', 'remove', 'demo.hello', '--data', data);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(join(data, 'extensions', 'hello'))).toBe(false);
    expect(existsSync(join(data, 'extension-data', 'demo.hello'))).toBe(false);
    expect(readJson(join(data, 'kernel.json')).extensions).toEqual({});
  });
});
