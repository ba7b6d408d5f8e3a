/**
 * The generated project of each kind passes its own tests with `langbot-ext test`, from a folder outside the repo:
 * each run is a vitest of its own with a real kernel, so this file is slow.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../../sdk/cli/create.js';
import { KINDS } from '../../sdk/cli/kinds.js';
import { langbotExt, tempDir } from './support.js';

const SLOW = 240_000;

async function testProject(kind: string, isolation?: string) {
  const parent = tempDir();
  const created = await createProject('sample', { kind, dir: parent, isolation });
  // Run from inside the project, as an author does: `langbot-ext test` with no folder.
  return { dir: created.dir, run: await langbotExt(['test'], { cwd: created.dir }) };
}

describe('langbot-ext test on a new project', () => {
  it.each(KINDS)('passes out of the box for %s', async (kind) => {
    const { run } = await testProject(kind);
    expect(run.stdout + run.stderr).toMatch(/Test Files {2}1 passed \(1\)/);
    expect(run.code).toBe(0);
  }, SLOW);

  it.each([
    ['tool', 'isolate'],
    ['event-listener', 'worker'],
  ])('passes for %s under the %s host', async (kind, isolation) => {
    const { run } = await testProject(kind, isolation);
    expect(run.stdout + run.stderr).toMatch(/Tests {2}\d+ passed/);
    expect(run.code).toBe(0);
  }, SLOW);

  it('fails with exit code 1 when a test fails, showing the difference', async () => {
    const dir = (await createProject('sample', { kind: 'command', dir: tempDir() })).dir;
    const source = join(dir, 'index.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace('word${n === 1', 'thing${n === 1'));
    const run = await langbotExt(['test', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('3 things, alice.');
    expect(run.stdout + run.stderr).toMatch(/Tests {2}1 failed \| 2 passed/);
  }, SLOW);
});
