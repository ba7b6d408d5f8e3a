/**
 * `langbot market` client commands, run as the built dist/market.mjs against a folder registry: what the user
 * sees, and the version pointer the CLI writes into kernel.json for the kernel to follow.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT } from '../cli/cli-helpers.js';
import { makeRegistry, tempDirs } from './client-helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());
beforeAll(() => buildCli());

const ID = 'acme.weather';

/** Runs `node dist/market.mjs <args>` with `input` on stdin. */
function market(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'market.mjs'), ...args], { cwd: ROOT, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function setup() {
  const reg = await makeRegistry(await temp.make(), [{ id: ID, version: '1.0.0', permissions: { services: ['llm'], network: true } }]);
  const data = await temp.make('langbot-data-');
  const common = ['--data', data, '--mirror', reg.dir, '--trust', reg.publicKey];
  const kernelJson = async () => JSON.parse(await readFile(join(data, 'kernel.json'), 'utf8'));
  return { reg, data, common, kernelJson };
}

describe('langbot market install', () => {
  it('shows the permissions in words and installs nothing when the answer is no', async () => {
    const t = await setup();
    const result = await market(['install', ID, ...t.common], 'n\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('use the kernel service "llm"');
    expect(result.stdout).toContain('open network connections');
    expect(result.stdout).toContain(`Install ${ID} 1.0.0? [y/N]`);
    expect(result.stdout).toContain('Cancelled; nothing was changed.');
    expect(existsSync(join(t.data, 'extensions'))).toBe(false);
    expect(existsSync(join(t.data, 'kernel.json'))).toBe(false);
  });

  it('with --yes installs, points kernel.json at the version with the approved permissions, and lists it', async () => {
    const t = await setup();
    const result = await market(['install', ID, '--yes', ...t.common]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const step of ['resolve', 'download', 'verify', 'stage', 'activate', 'cleanup', 'done']) expect(result.stdout).toMatch(new RegExp(`^  ${step} `, 'm'));
    expect(result.stdout).toContain('starts with the next `langbot start');
    expect((await t.kernelJson()).extensions[ID]).toEqual({ version: '1.0.0', approvedPermissions: { services: ['llm'], network: true } });
    expect(existsSync(join(t.data, 'extensions', `${ID}@1.0.0`, 'manifest.json'))).toBe(true);

    const list = await market(['list', '--data', t.data]);
    expect(list.stdout).toMatch(new RegExp(`${ID.replace('.', '\\.')}\\s+1\\.0\\.0\\s+-\\s+kernel not running`));

    // Uninstalling clears the pointer and approvals but keeps the configuration.
    const state = await t.kernelJson();
    state.extensions[ID].config = { city: 'Berlin' };
    await writeFile(join(t.data, 'kernel.json'), JSON.stringify(state));
    expect((await market(['uninstall', ID, ...t.common])).code).toBe(0);
    expect((await t.kernelJson()).extensions[ID]).toEqual({ config: { city: 'Berlin' } });
    expect(existsSync(join(t.data, 'extensions', `${ID}@1.0.0`))).toBe(false);
  });

  it('refuses an index signed by a key that is not trusted, and says how to trust one', async () => {
    const t = await setup();
    const other = await makeRegistry(await temp.make(), []);
    const result = await market(['install', ID, '--yes', '--data', t.data, '--mirror', t.reg.dir, '--trust', other.publicKey]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The index from ${t.reg.dir} was refused`);
    expect(result.stderr).toContain('[untrusted_key]');
    expect(result.stderr).toContain('--trust ed25519:');
    expect(existsSync(join(t.data, 'extensions'))).toBe(false);
  });
});
