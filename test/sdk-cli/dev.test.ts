import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../../sdk/cli/create.js';
import { ROOT, startLangbotExt, tempDir } from './support.js';

const SLOW = 180_000;
const running: ReturnType<typeof startLangbotExt>[] = [];
afterEach(async () => {
  for (const dev of running.splice(0)) if (dev.child.exitCode === null) dev.child.kill('SIGINT');
});

/** A tool project that starts at boot, so each version's code runs (and logs) as soon as it is loaded. */
async function eagerTool(name: string) {
  const { dir } = await createProject(name, { kind: 'tool', dir: tempDir() });
  const manifest = join(dir, 'manifest.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('activation: onUse', 'activation: eager'));
  return dir;
}

const version = (dir: string, words: string) =>
  writeFileSync(
    join(dir, 'index.ts'),
    `import { defineExtension } from '@langbot-ts/sdk';\n\nexport default defineExtension({\n  activate(ctx) {\n    ctx.log.info('${words}');\n    ctx.provide('tools', '${dir.split('/').pop()}', { call: () => ({ text: '${words}' }) });\n  },\n});\n`,
  );

/** A dev session on the small core profile, so its kernel starts in a moment. */
function dev(dir: string, data: string, ...more: string[]) {
  const process = startLangbotExt(['dev', dir, '--data', data, '--profile', 'core', ...more]);
  running.push(process);
  return process;
}

describe('langbot-ext dev', () => {
  it('links the project into the data folder, runs a kernel that hot-reloads edits, and cleans up on Ctrl-C', async () => {
    const project = await eagerTool('weather');
    const data = tempDir();
    version(project, 'first version running');
    const session = dev(project, data);
    await session.waitFor(/first version running[\s\S]*"msg":"Kernel ready"/);
    const link = join(data, 'extensions', 'weather');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(project));
    expect(session.output()).toContain('Linked');
    expect(existsSync(join(data, 'status.json'))).toBe(true);

    version(project, 'second version running');
    await session.waitFor(/Replaced by a new version[\s\S]*second version running/);
    await session.waitFor(/"msg":"Weather: active\. Running under the process host\."[\s\S]*"msg":"Weather: active/);
    // The kernel's own CLI sees the linked drop-in running.
    const info = execFileSync(process.execPath, [join(ROOT, 'bin', 'langbot.mjs'), 'ext', 'info', 'weather', '--data', data], { encoding: 'utf8' });
    expect(info).toMatch(/^weather 0\.1\.0/);
    expect(info).toMatch(/Source: +dropin/);
    expect(info).toMatch(/State: +active \(live\)/);

    session.child.kill('SIGINT');
    expect(await session.exited).toBe(0);
    expect(session.output()).toContain('"msg":"Stopped."');
    expect(existsSync(link)).toBe(false);
    expect(existsSync(join(data, 'status.json'))).toBe(false);
    expect(existsSync(project)).toBe(true);
  }, SLOW);

  it('only links when a kernel already runs on the data folder; that kernel loads it and drops it on Ctrl-C', async () => {
    const data = tempDir();
    const first = dev(await eagerTool('weather'), data);
    await first.waitFor(/"msg":"Kernel ready"/);
    const second = await eagerTool('news');
    version(second, 'news loaded');
    const linker = dev(second, data);
    await linker.waitFor(/A kernel \(pid \d+\) already runs on .*: linked .* as .*news/);
    await first.waitFor(/news loaded/);
    linker.child.kill('SIGINT');
    expect(await linker.exited).toBe(0);
    expect(existsSync(join(data, 'extensions', 'news'))).toBe(false);
    await first.waitFor(/"msg":"News: disposed\. Removed\."/);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  }, SLOW);

  it('refuses a data folder where the extension id is taken by a real folder, and a kernel command that does not exist', async () => {
    const project = await eagerTool('weather');
    const data = tempDir();
    const missing = dev(project, data, '--kernel', join(data, 'nope', 'langbot.mjs'));
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain(`The kernel command ${join(data, 'nope', 'langbot.mjs')} does not exist; pass --kernel or set LANGBOT_BIN.`);
    expect(existsSync(join(data, 'extensions', 'weather'))).toBe(false);

    mkdirSync(join(data, 'extensions', 'weather'), { recursive: true });
    const taken = dev(project, data);
    expect(await taken.exited).toBe(1);
    expect(taken.output()).toContain(`${join(data, 'extensions', 'weather')} already exists and is not a link to this project`);
  }, SLOW);
});
