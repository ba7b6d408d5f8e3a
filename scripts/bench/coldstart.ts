/** Cold start of the kernel CLI (spawn → 'Kernel ready'), its idle RSS, and where the start-up time goes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { keepImportMeta } from '../keep-import-meta.mjs';
import { summarizeProfile, type CpuProfile } from './profile.js';

export interface ColdStartResult {
  /** What was started: the built CLI, or the fallback bundle when the CLI can't be built yet. */
  kind: 'cli' | 'fallback';
  command: string;
  notes: string[];
  /** Timed starts on one data folder (after an untimed first start that prepares it). */
  runsMs: number[];
  medianMs: number;
  /** `ms` the kernel itself logs with 'Kernel ready' (performance.now(): since its process started). */
  kernelReportedMs?: number[];
  /** Starts on a new, empty data folder each time (first start: built-in extensions get bundled). */
  freshRunsMs: number[];
  freshMedianMs?: number;
  idleRssMb?: number;
  idleAfterMs: number;
  breakdown: {
    nodeBareMs?: number;
    cliHelpMs?: number;
    nodeBareIdleRssMb?: number;
    profile?: { busyMs: number; groups: { name: string; ms: number; share: number }[]; functions: { name: string; ms: number; share: number }[] };
  };
}

const READY = 'Kernel ready';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
  });
}

/**
 * Bundled like scripts/build.mjs bundles the CLI (dependencies inlined, isolated-vm and esbuild external, code
 * splitting so the isolate host stays out of start-up), written under node_modules so the externals resolve.
 */
async function buildFallback(root: string, benchDir: string): Promise<string> {
  const outdir = join(root, 'node_modules', '.cache', 'langbot-bench', `coldstart-${process.pid}`);
  await build({
    entryPoints: { coldstart: join(benchDir, 'coldstart-entry.ts') },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    external: ['isolated-vm', 'esbuild'],
    plugins: [keepImportMeta],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return join(outdir, 'coldstart.mjs');
}

/** Newest modification time of the kernel's sources, to tell whether dist/ is older than them. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

interface Command {
  kind: 'cli' | 'fallback';
  /** argv after `node`; `<data>` stands for the data folder. */
  args: string[];
  cleanup(): Promise<void>;
}

async function cliCommand(root: string, rebuild: boolean, notes: string[], log: (line: string) => void): Promise<Command | undefined> {
  const cli = join(root, 'dist', 'langbot.mjs');
  const script = join(root, 'scripts', 'build.mjs');
  const missing = !existsSync(cli);
  if ((missing || rebuild) && existsSync(script)) {
    log(`${missing ? 'dist/langbot.mjs is missing' : '--rebuild'}: running node scripts/build.mjs …`);
    const built = await run(process.execPath, [script], root, 90_000);
    if (built.code !== 0 || !existsSync(cli)) {
      const why = built.output.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ').slice(0, 300);
      notes.push(`scripts/build.mjs failed (${why || `exit ${built.code}`})`);
    } else notes.push(`built dist/ with scripts/build.mjs (${Math.round(built.ms)} ms)`);
  } else if (missing) notes.push('dist/langbot.mjs and scripts/build.mjs do not exist');
  if (!existsSync(cli)) return undefined;
  const sources = join(root, 'kernel');
  if (existsSync(sources) && newestSource(sources) > statSync(cli).mtimeMs) {
    notes.push('dist/langbot.mjs is older than some kernel/ sources (run with --rebuild to rebuild it first)');
  }
  return { kind: 'cli', args: [cli, 'start', '--profile', 'core', '--data', '<data>', '--no-watch'], cleanup: async () => {} };
}

async function fallbackCommand(root: string, benchDir: string): Promise<Command> {
  const file = await buildFallback(root, benchDir);
  return { kind: 'fallback', args: [file, '<data>'], cleanup: () => rm(dirname(file), { recursive: true, force: true }) };
}

async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmRSS:\s+(\d+)\s*kB/.exec(status);
  return m ? Number(m[1]) / 1024 : undefined;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** One start: spawn → the line containing 'Kernel ready'; optionally stays up `idleMs` and reads VmRSS. */
async function startOnce(root: string, args: string[], data: string, options: { idleMs?: number; nodeFlags?: string[] } = {}) {
  const argv = [...(options.nodeFlags ?? []), ...args.map((a) => (a === '<data>' ? data : a))];
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  let seen = '';
  try {
    const { ms, line } = await new Promise<{ ms: number; line: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${READY}' within 20 s; output: ${seen.slice(-400)}`)), 20_000);
      const onData = (d: Buffer) => {
        if (seen.length < 256 * 1024) seen += d.toString();
        const at = seen.indexOf(READY);
        if (at !== -1) {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          clearTimeout(timer);
          const start = seen.lastIndexOf('\n', at) + 1;
          const end = seen.indexOf('\n', at);
          resolve({ ms, line: seen.slice(start, end === -1 ? undefined : end) });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code ?? signal}) before '${READY}'; output: ${seen.slice(-400)}`));
      });
    });
    child.removeAllListeners('exit');
    // The CLI installs its SIGTERM handler just after printing the line: give it a moment, so it stops cleanly
    // (and, under --cpu-prof, writes its profile) instead of dying from the default signal action.
    await new Promise((r) => setTimeout(r, 150));
    const reported = /"ms":\s*(\d+(?:\.\d+)?)/.exec(line);
    let rss: number | undefined;
    if (options.idleMs) {
      await new Promise((r) => setTimeout(r, options.idleMs! - 150));
      if (child.exitCode !== null) throw new Error(`exited while idle; output: ${seen.slice(-400)}`);
      rss = await rssMb(child.pid!);
    }
    return { ms, rssMb: rss, kernelMs: reported ? Number(reported[1]) : undefined };
  } finally {
    child.removeAllListeners('exit');
    await stopChild(child);
  }
}

async function idleNodeRss(idleMs: number): Promise<number | undefined> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, idleMs));
  const rss = await rssMb(child.pid!);
  await stopChild(child);
  return rss;
}

/** One start under --cpu-prof: self time by source module until shortly after 'Kernel ready'. */
async function profileStart(root: string, args: string[], data: string, scratch: string) {
  const dir = join(scratch, 'cpuprof');
  await startOnce(root, args, data, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'] });
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, { limit: 12 });
  const ms = (x: { name: string; us: number; share: number }) => ({ name: x.name, ms: x.us / 1000, share: x.share });
  return { busyMs: summary.busyUs / 1000, groups: summary.groups.map(ms), functions: summary.functions.map(ms) };
}

export async function coldStart(
  root: string,
  benchDir: string,
  log: (line: string) => void,
  options: { runs?: number; freshRuns?: number; idleMs?: number; rebuild?: boolean } = {},
): Promise<ColdStartResult> {
  const { runs = 5, freshRuns = 3, idleMs = 2000, rebuild = false } = options;
  const notes: string[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'langbot-coldstart-'));
  const data = join(scratch, 'data');
  let cmd = await cliCommand(root, rebuild, notes, log);
  try {
    // The untimed first start prepares the data folder (and checks the command works at all).
    if (cmd) {
      try {
        await startOnce(root, cmd.args, data);
      } catch (e) {
        notes.push(`the built CLI did not start: ${(e as Error).message.slice(0, 200)}`);
        cmd = undefined;
      }
    }
    if (!cmd) {
      log(`${notes.join('; ')}; falling back to an esbuild bundle of Kernel.start (scripts/bench/coldstart-entry.ts).`);
      notes.push("fallback: Kernel.start({ profile: 'core', watch: false }) bundled like dist/ by scripts/bench/coldstart.ts");
      cmd = await fallbackCommand(root, benchDir);
      await startOnce(root, cmd.args, data);
    }
    const runsMs: number[] = [];
    const kernelMs: number[] = [];
    let idleRssMb: number | undefined;
    for (let i = 0; i < runs; i++) {
      const r = await startOnce(root, cmd.args, data, { idleMs: i === runs - 1 ? idleMs : 0 });
      runsMs.push(r.ms);
      if (r.kernelMs !== undefined) kernelMs.push(r.kernelMs);
      if (r.rssMb !== undefined) idleRssMb = r.rssMb;
    }
    const freshRunsMs: number[] = [];
    for (let i = 0; i < freshRuns; i++) {
      const fresh = join(scratch, `fresh-${i}`);
      freshRunsMs.push((await startOnce(root, cmd.args, fresh)).ms);
    }

    // Where start-up goes: Node itself, loading the CLI bundle, then the kernel; and a CPU profile of one start.
    const breakdown: ColdStartResult['breakdown'] = {};
    const bare: number[] = [];
    for (let i = 0; i < 3; i++) bare.push((await run(process.execPath, ['-e', '0'], root, 10_000)).ms);
    breakdown.nodeBareMs = median(bare);
    if (cmd.kind === 'cli') {
      const help: number[] = [];
      for (let i = 0; i < 3; i++) help.push((await run(process.execPath, [cmd.args[0], '--help'], root, 10_000)).ms);
      breakdown.cliHelpMs = median(help);
    }
    breakdown.profile = await profileStart(root, cmd.args, data, scratch).catch((e) => {
      notes.push(`start-up profile failed: ${(e as Error).message.slice(0, 200)}`);
      return undefined;
    });
    breakdown.nodeBareIdleRssMb = await idleNodeRss(idleMs);

    return {
      kind: cmd.kind,
      command: `node ${cmd.args.map((a) => (a.startsWith(root) ? relative(root, a) : a)).join(' ')}`,
      notes,
      runsMs,
      medianMs: median(runsMs),
      kernelReportedMs: kernelMs.length ? kernelMs : undefined,
      freshRunsMs,
      freshMedianMs: freshRunsMs.length ? median(freshRunsMs) : undefined,
      idleRssMb,
      idleAfterMs: idleMs,
      breakdown,
    };
  } finally {
    await cmd?.cleanup();
    await rm(scratch, { recursive: true, force: true });
  }
}
