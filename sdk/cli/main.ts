/** `langbot-ext`: the extension author's command line (create, validate, build, pack, test, dev, publish). */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { buildProject } from './build.js';
import { createProject } from './create.js';
import { devProject } from './dev.js';
import { CliError } from './errors.js';
import { ISOLATION_CHOICES, KINDS } from './kinds.js';
import { packProject } from './pack.js';
import { loadProject, shown } from './project.js';
import { publishPackage } from './publish.js';
import { runTests } from './test-runner.js';
import { validateProject } from './validate.js';

const program = new Command('langbot-ext').description('Create, test, run and publish LangBot TS extensions.').showHelpAfterError();

program
  .command('create <name>')
  .description('start a new extension project in <dir>/<name>')
  .addOption(new Option('--kind <kind>', 'what the extension contributes').choices(KINDS).makeOptionMandatory())
  .option('--id <id>', 'manifest id, e.g. acme.weather (default: <name>)')
  .option('--dir <parent>', 'folder to create the project in', '.')
  .addOption(new Option('--isolation <mode>', 'where the code runs').choices(ISOLATION_CHOICES).default('process'))
  .action(async (name: string, opts: { kind: string; id?: string; dir: string; isolation: string }) => {
    const created = await createProject(name, opts);
    const where = shown(created.dir);
    console.log(`Created the ${created.kind} extension ${created.id} in ${where}:`);
    for (const file of created.files) console.log(`  ${file}`);
    console.log(`\nNext:\n  cd ${where}\n  langbot-ext test     # run its tests\n  langbot-ext dev      # run a kernel with it; edits reload`);
  });

program
  .command('validate [dir]')
  .description('check the manifest (as the kernel does), that the entry exists and that it bundles')
  .action(async (dir = '.') => {
    const result = await validateProject(dir);
    if (result.ok) return console.log(`${shown(dir === '.' ? process.cwd() : dir)}: valid.`);
    console.error(`${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}:`);
    for (const issue of result.issues) console.error(`  ${issue}`);
    process.exitCode = 1;
  });

program
  .command('build [dir]')
  .description('bundle the entry into dist/extension.js (@langbot-ts/sdk stays external)')
  .action(async (dir = '.') => {
    const project = await loadProject(dir);
    if (!project.entryFile) return console.log(`Nothing to build: ${shown(project.manifestFile)} has no 'entry' (an extension of only pages has no code).`);
    const built = await buildProject(dir);
    console.log(`Built ${shown(built.file)} (${formatSize(built.bytes)}).`);
  });

program
  .command('pack [dir]')
  .description('build, then write <id>-<version>.tgz (manifest, bundle, README, LICENSE, icon, assets)')
  .option('--out <dir>', 'output folder (default: <dir>/dist)')
  .action(async (dir = '.', opts: { out?: string }) => {
    const packed = await packProject(dir, { outDir: opts.out ?? join(dir, 'dist') });
    console.log(`Packed ${packed.id} ${packed.version}`);
    console.log(`  file:   ${shown(packed.file)}`);
    console.log(`  sha256: ${packed.sha256}`);
    console.log(`  size:   ${packed.size} bytes (${formatSize(packed.size)})`);
  });

program
  .command('test [dir]')
  .description("run the project's *.test.ts with vitest (the SDK resolves to this one)")
  .option('--watch', 're-run on changes')
  .argument('[filters...]', 'only test files whose path contains one of these')
  .action(async (dir = '.', filters: string[], opts: { watch?: boolean }) => {
    process.exitCode = await runTests(dir, { filters, watch: opts.watch });
  });

program
  .command('dev [dir]')
  .description('link the project into a data folder and run a kernel on it; edits hot-reload, Ctrl-C stops and unlinks')
  .option('--data <dir>', 'data folder (default: env LANGBOT_DATA, else <project>/.langbot)')
  .option('--port <n>', 'port of the HTTP server')
  .option('--profile <name>', 'kernel profile (core, headless, full)')
  .option('--kernel <path>', 'the langbot command to run (default: env LANGBOT_BIN, else bin/langbot.mjs of this checkout)')
  .action(async (dir = '.', opts: { data?: string; port?: string; profile?: string; kernel?: string }) => {
    process.exitCode = await devProject(dir, opts);
  });

program
  .command('publish [source]')
  .description('upload a .tgz (or pack a project folder first) to a registry: POST <registry>/publish')
  .requiredOption('--registry <url>', 'registry URL, e.g. http://127.0.0.1:5320')
  .option('--token <token>', 'publish token (default: env LANGBOT_REGISTRY_TOKEN)')
  .action(async (source = '.', opts: { registry: string; token?: string }) => {
    const published = await publishPackage(source, { registry: opts.registry, token: opts.token ?? process.env.LANGBOT_REGISTRY_TOKEN });
    console.log(`Published ${published.id} ${published.version} to ${opts.registry} (sha256 ${published.sha256}, ${published.size} bytes).`);
  });

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const detail = process.env.LANGBOT_DEBUG ? (e as Error).stack : (e as Error).message;
  console.error(e instanceof CliError ? e.message : `langbot-ext: ${detail ?? String(e)}`);
  process.exitCode = e instanceof CliError ? e.exitCode : 1;
}
