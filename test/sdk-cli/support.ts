import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const LAUNCHER = join(ROOT, 'sdk', 'bin', 'langbot-ext.mjs');

export const tempDir = (prefix = 'langbot-ext-') => mkdtempSync(join(tmpdir(), prefix));

const env = () => {
  const copy: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete copy.LANGBOT_DATA;
  delete copy.LANGBOT_REGISTRY_TOKEN;
  delete copy.VITEST;
  delete copy.VITEST_WORKER_ID;
  delete copy.VITEST_POOL_ID;
  delete copy.TEST;
  delete copy.NODE_ENV;
  return copy;
};

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `langbot-ext <args>` to completion; a non-zero exit is a result, not an error. */
export function langbotExt(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [LAUNCHER, ...args], { cwd: options.cwd ?? ROOT, env: { ...env(), ...options.env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A long-running `langbot-ext <args>` whose output is collected. */
export function startLangbotExt(args: string[], options: { cwd?: string } = {}) {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: options.cwd ?? ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => output,
    exited,
    /** Resolves once the output matches, or fails with the output so far. */
    async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
      const started = Date.now();
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`langbot-ext exited (${child.exitCode}) before printing ${pattern}:\n${output}`);
        if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${pattern}:\n${output.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
