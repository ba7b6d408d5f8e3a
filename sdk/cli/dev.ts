/**
 * `langbot-ext dev`: links the project into `<data>/extensions/<id>` (the kernel hot-reloads drop-ins) and runs
 * `langbot start` on that data folder; Ctrl-C stops the kernel and removes the link. When a kernel already runs
 * there, it only links.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, realpath, symlink, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readStatus } from '../../kernel/status/status-file.js';
import { CliError } from './errors.js';
import { DEFAULT_KERNEL_BIN } from './paths.js';
import { loadProject, shown, type Project } from './project.js';

export interface DevOptions {
  data?: string;
  port?: string;
  profile?: string;
  kernel?: string;
}

export async function devProject(dir: string, options: DevOptions): Promise<number> {
  const project = await loadProject(dir);
  const dataDir = resolve(options.data ?? process.env.LANGBOT_DATA ?? join(project.dir, '.langbot'));
  const running = readStatus(dataDir);
  const command = running ? [] : kernelCommand(options.kernel);
  const link = await linkProject(project, dataDir);
  if (running) {
    console.log(`A kernel (pid ${running.pid}) already runs on ${shown(dataDir)}: linked ${shown(project.dir)} as ${shown(link.path)}.`);
    console.log('It loads the extension now and reloads it when you save. Press Ctrl-C to remove the link.');
    // Signal handlers alone do not keep Node running.
    const alive = setInterval(() => {}, 1 << 30);
    await new Promise((done) => (process.once('SIGINT', done), process.once('SIGTERM', done)));
    clearInterval(alive);
    await link.remove();
    return 0;
  }
  console.log(`Linked ${shown(project.dir)} as ${shown(link.path)}; starting the kernel on ${shown(dataDir)} (Ctrl-C stops it).`);
  try {
    return await runKernel(command, ['start', '--data', dataDir, ...flag('--port', options.port), ...flag('--profile', options.profile)]);
  } finally {
    await link.remove();
  }
}

const flag = (name: string, value: string | undefined) => (value === undefined ? [] : [name, value]);

async function linkProject(project: Project, dataDir: string): Promise<{ path: string; remove(): Promise<void> }> {
  const root = join(dataDir, 'extensions');
  const path = join(root, project.manifest.id);
  const target = await realpath(project.dir);
  await mkdir(root, { recursive: true });
  const existing = await lstat(path).catch(() => undefined);
  if (existing) {
    if (!existing.isSymbolicLink()) throw new CliError(`${path} already exists and is not a link to this project; remove it or use another --data.`);
    const pointsAt = await realpath(path).catch(() => undefined);
    if (pointsAt && pointsAt !== target) throw new CliError(`${path} links to another folder (${pointsAt}); remove it or use another --data.`);
    // A link left by an earlier session whose folder is gone.
    if (!pointsAt) await unlink(path);
  }
  if (!(await lstat(path).catch(() => undefined))) await symlink(target, path, 'junction');
  return {
    path,
    async remove() {
      const stat = await lstat(path).catch(() => undefined);
      if (stat?.isSymbolicLink()) await unlink(path).catch(() => {});
    },
  };
}

/** `langbot` as a script run by this Node, or any other executable (e.g. `langbot` on PATH). */
function kernelCommand(given: string | undefined): string[] {
  const bin = given ?? process.env.LANGBOT_BIN ?? DEFAULT_KERNEL_BIN;
  const isPath = /[\\/]/.test(bin);
  if (isPath && !existsSync(bin)) throw new CliError(`The kernel command ${bin} does not exist; pass --kernel or set LANGBOT_BIN.`);
  return /\.[cm]?js$/.test(bin) ? [process.execPath, resolve(bin)] : [isPath ? resolve(bin) : bin];
}

/**
 * The kernel runs in its own process group, so a terminal's Ctrl-C reaches it once, from here: a second signal
 * would make it give up stopping gracefully.
 */
function runKernel(command: string[], args: string[]): Promise<number> {
  const [file, ...first] = command;
  const child = spawn(file, [...first, ...args], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  let signalled = false;
  const stop = () => {
    child.kill(signalled ? 'SIGKILL' : 'SIGINT');
    signalled = true;
  };
  const orphan = () => child.kill('SIGKILL');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('exit', orphan);
  return new Promise<number>((done, fail) => {
    child.once('error', (error) => fail(new CliError(`Could not start the kernel (${file}): ${error.message}`)));
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  }).finally(() => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('exit', orphan);
  });
}
