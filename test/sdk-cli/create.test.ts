import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createProject } from '../../sdk/cli/create.js';
import { KINDS } from '../../sdk/cli/kinds.js';
import { validateProject } from '../../sdk/cli/validate.js';
import { langbotExt, tempDir } from './support.js';

const POINT = {
  tool: 'tools',
  command: 'commands',
  'event-listener': 'eventListeners',
  'event-handler': 'eventHandlers',
  adapter: 'adapters',
  runner: 'runners',
  requester: 'requesters',
  page: 'pages',
} as const;

describe('langbot-ext create', () => {
  it.each(KINDS)('makes a %s project that passes validate, with the contribution and both languages', async (kind) => {
    const parent = tempDir();
    const created = await createProject('daily-report', { kind, dir: parent, id: 'acme.daily-report' });
    expect(created.dir).toBe(join(parent, 'daily-report'));
    expect(created.files).toEqual(expect.arrayContaining(['.gitignore', 'README.md', 'index.test.ts', 'manifest.yaml', 'package.json', 'tsconfig.json']));
    expect(await validateProject(created.dir)).toEqual({ ok: true, issues: [] });

    const manifest = parse(readFileSync(join(created.dir, 'manifest.yaml'), 'utf8'));
    expect(manifest.id).toBe('acme.daily-report');
    expect(manifest.displayName).toEqual({ en_US: 'Daily report', zh_Hans: 'Daily report' });
    expect(manifest.description.zh_Hans).toMatch(/\p{Script=Han}/u);
    expect(manifest.contributes[POINT[kind]]).toHaveLength(1);
    expect(existsSync(join(created.dir, 'index.ts'))).toBe(kind !== 'page');

    const pkg = JSON.parse(readFileSync(join(created.dir, 'package.json'), 'utf8'));
    expect(pkg.scripts).toMatchObject({ test: 'langbot-ext test', build: 'langbot-ext build', pack: 'langbot-ext pack', dev: 'langbot-ext dev' });
    expect(pkg.devDependencies['@langbot-ts/sdk']).toMatch(/^file:.*sdk$/);
    expect(readFileSync(join(created.dir, 'README.md'), 'utf8')).toContain('acme.daily-report');
  });

  it('writes the chosen isolation, and the name as the id by default', async () => {
    const parent = tempDir();
    const worker = await createProject('counter', { kind: 'command', dir: parent, isolation: 'worker' });
    expect(parse(readFileSync(join(worker.dir, 'manifest.yaml'), 'utf8'))).toMatchObject({ id: 'counter', isolation: 'worker' });
    const isolate = await createProject('greeter', { kind: 'tool', dir: parent, isolation: 'isolate' });
    expect(parse(readFileSync(join(isolate.dir, 'manifest.yaml'), 'utf8')).isolation).toBe('isolate');
    expect(await validateProject(isolate.dir)).toEqual({ ok: true, issues: [] });
  });

  it('prints what it made and what to do next', async () => {
    const parent = tempDir();
    const run = await langbotExt(['create', 'weather', '--kind', 'tool', '--dir', parent]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Created the tool extension weather in ${join(parent, 'weather')}`);
    expect(run.stdout).toMatch(/manifest\.yaml[\s\S]*langbot-ext test/);
  });

  it('refuses a folder that exists and is not empty, and touches nothing in it', async () => {
    const parent = tempDir();
    mkdirSync(join(parent, 'weather'));
    writeFileSync(join(parent, 'weather', 'notes.txt'), 'mine');
    const run = await langbotExt(['create', 'weather', '--kind', 'tool', '--dir', parent]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(parent, 'weather')} already exists and is not an empty folder`);
    expect(existsSync(join(parent, 'weather', 'manifest.yaml'))).toBe(false);
    // An empty folder is fine.
    mkdirSync(join(parent, 'empty'));
    expect((await langbotExt(['create', 'empty', '--kind', 'tool', '--dir', parent])).code).toBe(0);
  });

  it.each([
    ['Weather', "'Weather' is not a valid extension name"],
    ['my_tool', "'my_tool' is not a valid extension name"],
    ['../escape', "'../escape' is not a valid extension name"],
    ['2fast', "'2fast' is not a valid extension name"],
    ['trailing-', "'trailing-' is not a valid extension name"],
  ])('refuses the name %s', async (name, message) => {
    const parent = tempDir();
    const run = await langbotExt(['create', name, '--kind', 'tool', '--dir', parent]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('lowercase letters, digits');
  });

  it('refuses a bad id, an unknown kind, and an isolate for templates that need the network', async () => {
    const parent = tempDir();
    const badId = await langbotExt(['create', 'weather', '--kind', 'tool', '--id', 'Acme/Weather', '--dir', parent]);
    expect(badId).toMatchObject({ code: 1, stderr: expect.stringContaining("'Acme/Weather' is not a valid extension id") });
    const kind = await langbotExt(['create', 'weather', '--kind', 'widget', '--dir', parent]);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/widget.*invalid.*tool, command, event-listener/s);
    const isolate = await langbotExt(['create', 'hook', '--kind', 'adapter', '--isolation', 'isolate', '--dir', parent]);
    expect(isolate).toMatchObject({ code: 1, stderr: expect.stringContaining('an isolate does not have; choose --isolation process or worker') });
    await expect(createProject('hook', { kind: 'widget', dir: parent })).rejects.toThrow("Unknown kind 'widget'");
    expect(existsSync(join(parent, 'weather'))).toBe(false);
    expect(existsSync(join(parent, 'hook'))).toBe(false);
  });
});
