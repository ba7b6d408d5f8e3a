import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist', 'langbot.mjs');

/** Builds dist/ (about half a second). */
export function buildCli(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

const env = { ...process.env };
delete env.LANGBOT_DATA;

export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'langbot-cli-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `langbot <args>` to completion; a non-zero exit is a result, not an error. */
export function langbot(...args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export interface LogLine {
  msg: string;
  [key: string]: unknown;
}

/** A `langbot start` process whose JSON log lines are collected. */
export function startKernel(...args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part));
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    /** Sends SIGTERM and resolves with the exit code. */
    stop: () => (child.kill('SIGTERM'), exited),
  };
}

export const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
