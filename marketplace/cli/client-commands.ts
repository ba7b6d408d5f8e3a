import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { table } from '../../kernel/cli/output.js';
import { KERNEL_API_VERSION } from '../../kernel/api/version.js';
import { localize, type Permissions } from '../../kernel/manifest/index.js';
import { missingPermissions } from '../../kernel/manifest/permissions.js';
import { REPO_ROOT } from '../../kernel/paths.js';
import { readStatus } from '../../kernel/status/status-file.js';
import { bundledRegistry } from '../client/bundled-registry.js';
import { defaultCacheDir, RegistryClient, type IndexResult } from '../client/registry-client.js';
import { permissionInWords } from '../client/permission-words.js';
import { MarketError } from '../errors.js';
import type { IndexVersion } from '../index-format.js';
import { Installer } from '../installer/installer.js';
import { selectVersion } from '../installer/select-version.js';
import { StateFileActivator } from '../installer/state-file-activator.js';
import type { Progress } from '../installer/types.js';

interface CommonOptions {
  data: string;
  mirror: string[];
  trust: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The registry shipped with the installation: the default mirror, trusted through its registry.pub. */
const bundled = () => bundledRegistry(process.env.LANGBOT_HOME || REPO_ROOT);

function withCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('--data <dir>', 'data folder (env LANGBOT_DATA)').default(process.env.LANGBOT_DATA || './data'))
    .addOption(
      new Option('--mirror <url|dir>', 'registry mirror: http(s) URL, folder or file:// URL; repeat for failover').argParser(collect).default([], 'the bundled registry'),
    )
    .addOption(
      new Option('--trust <key>', 'trusted index signing key "ed25519:…"; repeatable').argParser(collect).default([], "the bundled registry's registry.pub"),
    );
}

/** The given keys, else the bundled registry's key (none when it is missing: verification then names the key to pass). */
function trustedKeys(opts: CommonOptions): string[] {
  if (opts.trust.length > 0) return opts.trust;
  const { key } = bundled();
  return key ? [key] : [];
}

function open(opts: CommonOptions) {
  const dataDir = resolve(opts.data);
  const client = new RegistryClient({
    mirrors: opts.mirror.length > 0 ? opts.mirror : [bundled().dir],
    trustedKeys: trustedKeys(opts),
    cacheDir: defaultCacheDir(dataDir),
  });
  const activator = new StateFileActivator(dataDir, { warn: (m) => console.warn(`warning: ${m}`) });
  const installer = new Installer({ dataDir, client, activator, kernelApiVersion: KERNEL_API_VERSION });
  return { dataDir, client, installer };
}

function reportSource(result: IndexResult): void {
  for (const f of result.failures) console.error(`warning: mirror ${f.mirror}: ${f.error}`);
  if (result.stale) {
    const when = result.fetchedAt ? new Date(result.fetchedAt).toISOString() : 'an unknown time';
    console.error(`warning: no mirror answered; using the cached index from ${result.mirror} (fetched ${when}).`);
  }
}

const kernelNote = (dataDir: string, what: string) =>
  readStatus(dataDir) ? `The running kernel now uses ${what}.` : `${what} starts with the next \`langbot start --data ${dataDir}\`.`;

/** Progress lines: one per step; download progress only when it completes. */
const printProgress: Progress = (p) => {
  if (p.step === 'download' && p.done !== undefined && p.done > 0 && p.done !== p.total) return;
  if (p.step === 'download' && p.done !== undefined && p.done > 0) return console.log(`  download  ${p.done} bytes received`);
  console.log(`  ${p.step.padEnd(8)}  ${p.message}`);
};

function describeRequest(id: string, version: IndexVersion, permissions: string[]): string {
  const lines = [`${id} ${version.version} runs with isolation "${version.isolation}"${version.isolation === 'inprocess' ? ' (inside the kernel, with full access)' : ''}.`];
  if (permissions.length === 0) lines.push('It asks for no permissions.');
  else lines.push('It asks to:', ...permissions.map((p) => `  - ${permissionInWords(p)}  [${p}]`));
  return lines.join('\n');
}

/** Asks on stdin; anything but y/yes (including end of input) is no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((done) => {
      rl.once('close', () => done(''));
      rl.question(`${question} [y/N] `, done);
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function approve(summary: string, question: string, yes: boolean): Promise<boolean> {
  console.log(summary);
  if (yes) return true;
  if (await confirm(question)) return true;
  console.log('Cancelled; nothing was changed.');
  return false;
}

/** Prints a MarketError as the user should see it and sets the exit code; other errors are bugs and keep their stack. */
function run<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof MarketError)) throw e;
      const missing = Array.isArray(e.details?.missing) ? `\nNot approved:\n${(e.details.missing as string[]).map((m) => `  - ${permissionInWords(m)}`).join('\n')}` : '';
      const hint = e.code === 'untrusted_key' ? '\nIf you trust this registry, pass its public key (its registry.pub) with --trust ed25519:…' : '';
      console.error(`langbot market: ${e.message} [${e.code}]${missing}${hint}`);
      process.exitCode = 1;
    }
  };
}

export function registerClientCommands(program: Command): void {
  withCommonOptions(program.command('search [text]'))
    .description('search the registry by text, contribution kind or category')
    .option('--kind <kind>', 'only extensions contributing this kind (e.g. tools, adapters)')
    .option('--category <category>', 'only extensions in this category')
    .action(
      run(async (text: string | undefined, opts: CommonOptions & { kind?: string; category?: string }) => {
        const { client } = open(opts);
        const result = await client.index();
        reportSource(result);
        const found = await client.search({ text, kind: opts.kind, category: opts.category });
        if (found.length === 0) return console.log('No extension matches.');
        const rows = found.map((e) => [e.id, e.latest, e.kinds.join(','), localize(e.displayName), localize(e.description)]);
        console.log(table(['ID', 'LATEST', 'KINDS', 'NAME', 'DESCRIPTION'], rows));
      }),
    );

  withCommonOptions(program.command('install <id>'))
    .description('install an extension from the registry, after showing the permissions it asks for')
    .option('--version <version>', 'install this version instead of the newest compatible one')
    .option('--yes', 'approve the requested permissions without asking')
    .action(
      run(async (id: string, opts: CommonOptions & { version?: string; yes?: boolean }) => {
        const { dataDir, client, installer } = open(opts);
        const result = await client.index({ refresh: true });
        reportSource(result);
        const version = selectVersion(await client.entry(id), KERNEL_API_VERSION, opts.version);
        const requested = missingPermissions(version.permissions, undefined);
        if (!(await approve(describeRequest(id, version, requested), `Install ${id} ${version.version}?`, Boolean(opts.yes)))) return;
        const record = await installer.install(id, { version: version.version, approvedPermissions: version.permissions, onProgress: printProgress });
        console.log(kernelNote(dataDir, `${id} ${record.version}`));
      }),
    );

  withCommonOptions(program.command('update <id>'))
    .description('update an installed extension to the newest compatible version; new permissions are shown for approval')
    .option('--yes', 'approve new permissions without asking')
    .action(
      run(async (id: string, opts: CommonOptions & { yes?: boolean }) => {
        const { dataDir, client, installer } = open(opts);
        const record = (await installer.installed()).find((r) => r.id === id);
        if (!record) throw new MarketError('not_installed', `${id} is not installed from the marketplace.`);
        reportSource(await client.index({ refresh: true }));
        const latest = selectVersion(await client.entry(id), KERNEL_API_VERSION);
        const added = missingPermissions(latest.permissions, record.approvedPermissions);
        let approvedPermissions: Permissions | undefined;
        if (added.length > 0) {
          const summary = `${id} ${latest.version} asks for new permissions:\n${added.map((p) => `  - ${permissionInWords(p)}  [${p}]`).join('\n')}`;
          if (!(await approve(summary, `Approve and update ${id} to ${latest.version}?`, Boolean(opts.yes)))) return;
          approvedPermissions = latest.permissions;
        }
        const updated = await installer.update(id, { approvedPermissions, onProgress: printProgress });
        if (updated.version !== record.version) console.log(kernelNote(dataDir, `${id} ${updated.version}`));
      }),
    );

  withCommonOptions(program.command('rollback <id>'))
    .description('switch back to the previously installed version (no download)')
    .action(
      run(async (id: string, opts: CommonOptions) => {
        const { dataDir, installer } = open(opts);
        const record = await installer.rollback(id, { onProgress: printProgress });
        console.log(kernelNote(dataDir, `${id} ${record.version}`));
      }),
    );

  withCommonOptions(program.command('uninstall <id>'))
    .description('stop an extension and delete its installed versions')
    .option('--delete-data', "also delete its data folder (<data>/extension-data/<id>)")
    .action(
      run(async (id: string, opts: CommonOptions & { deleteData?: boolean }) => {
        await open(opts).installer.uninstall(id, { deleteData: Boolean(opts.deleteData), onProgress: printProgress });
      }),
    );

  withCommonOptions(program.command('list'))
    .description('list extensions installed from the marketplace')
    .action(
      run(async (opts: CommonOptions) => {
        const { dataDir, installer } = open(opts);
        const records = await installer.installed();
        if (records.length === 0) return console.log('Nothing is installed from the marketplace.');
        const live = readStatus(dataDir)?.extensions;
        const rows = records.map((r) => [
          r.id,
          r.version,
          r.previous.join(',') || '-',
          live ? (live[r.id]?.state ?? 'not loaded') : 'kernel not running',
          r.installedAt,
        ]);
        console.log(table(['ID', 'VERSION', 'PREVIOUS', 'STATE', 'INSTALLED'], rows));
      }),
    );
}
