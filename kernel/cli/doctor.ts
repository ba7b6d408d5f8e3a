import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { formatIssue } from '../manifest/index.js';
import { REPO_ROOT } from '../paths.js';
import { firstLine } from './output.js';
import { loadNamedProfile, problems, takeInventory } from './inventory.js';

type Check = { ok: boolean; text: string };

/** Runs a snippet in a fresh Node process, so that a broken native addon cannot crash the doctor. */
function nodeRuns(args: string[]): { ok: boolean; error: string } {
  const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15_000 });
  const error = run.error?.message ?? (run.stderr.trim().split('\n').find((l) => /error/i.test(l)) || run.stderr.trim().split('\n')[0] || `exit code ${run.status}`);
  return { ok: run.status === 0, error };
}

const ISOLATE_SNIPPET =
  "const ivm = (await import('isolated-vm')).default; const i = new ivm.Isolate({ memoryLimit: 8 });" +
  "if (i.compileScriptSync('1 + 1').runSync(i.createContextSync()) !== 2) process.exit(1);";
const ESBUILD_SNIPPET = "const { transform } = await import('esbuild'); await transform('let x: number = 1', { loader: 'ts' });";

async function environment(dataDir: string, profile: string): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (ok: boolean, good: string, bad: string) => checks.push({ ok, text: ok ? good : bad });
  add(semver.satisfies(process.version, '>=20'), `Node.js ${process.version}`, `Node.js ${process.version} is too old; LangBot TS needs Node.js 20 or newer.`);
  const perm = nodeRuns(['--experimental-permission', '--no-warnings', '-e', '0']);
  add(perm.ok, 'Node permission model available (process isolation can restrict extensions)', `Node permission model unavailable (${perm.error}); process extensions cannot start.`);
  const ivm = nodeRuns(['--input-type=module', '-e', ISOLATE_SNIPPET]);
  add(ivm.ok, 'isolated-vm loads (isolate extensions can run)', `isolated-vm does not load (${ivm.error}); isolate extensions cannot start. Try \`npm rebuild isolated-vm\`.`);
  const esb = nodeRuns(['--input-type=module', '-e', ESBUILD_SNIPPET]);
  add(esb.ok, 'esbuild works (TypeScript extensions can be bundled)', `esbuild does not work (${esb.error}); no extension can be bundled.`);
  try {
    mkdirSync(dataDir, { recursive: true });
    const probe = join(dataDir, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    add(true, `Data folder ${dataDir} is writable`, '');
  } catch (e) {
    add(false, '', `Data folder ${dataDir} is not writable: ${(e as Error).message}`);
  }
  try {
    const loaded = await loadNamedProfile(profile);
    add(true, `Profile '${profile}' loads (${loaded.extensions === '*' ? 'all built-ins' : `${loaded.extensions.length} built-ins`})`, '');
  } catch (e) {
    add(false, '', (e as Error).message);
  }
  return checks;
}

/** Environment checks, then for every extension why it is or is not active. Exit code 1 if the environment fails. */
export async function doctor(opts: { data: string; profile?: string }): Promise<number> {
  const dataDir = resolve(opts.data);
  const checks = await environment(dataDir, opts.profile ?? 'full');
  console.log('Environment');
  for (const c of checks) console.log(`  ${c.ok ? '✔' : '✖'} ${c.text}`);
  const failed = checks.filter((c) => !c.ok).length;
  let inventory;
  try {
    inventory = await takeInventory(dataDir, opts.profile);
  } catch {
    inventory = await takeInventory(dataDir, 'full');
  }
  const { status } = inventory;
  const running = status ? `kernel running, pid ${status.pid}, profile ${status.profile}` : 'no kernel running';
  console.log(`\nExtensions (profile ${inventory.profile.name}; ${running})`);
  for (const entry of inventory.entries) {
    const found = problems(entry, inventory);
    const live = entry.live && `${entry.live.state}: ${firstLine(entry.live.reason)}`;
    const mark = entry.live?.state === 'failed' ? '✖' : !entry.manifest ? '⚠' : found.length ? '•' : '✔';
    const ready = `Ready to start (${entry.manifest?.activation === 'eager' ? 'eagerly' : 'on first use'}) under the ${entry.manifest?.isolation} host.`;
    console.log(`  ${mark} ${entry.id}  ${found.join(' ') || live || ready}`);
    for (const issue of entry.issues) console.log(`      ${formatIssue(issue)}`);
    if (live && found.length) console.log(`      live: ${live}`);
  }
  const invalid = inventory.entries.filter((e) => !e.manifest).length;
  console.log(
    failed
      ? `\n${failed} environment check${failed > 1 ? 's' : ''} failed.`
      : `\nEnvironment OK.${invalid ? ` ${invalid} extension${invalid > 1 ? 's have' : ' has'} an invalid manifest (warning).` : ''}`,
  );
  return failed ? 1 : 0;
}
