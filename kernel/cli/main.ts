import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { REPO_ROOT } from '../paths.js';
import { doctor } from './doctor.js';
import { installExtension } from './ext-install.js';
import { configureExtension } from './ext-config.js';
import { removeExtension, setEnabled } from './ext-manage.js';
import { listExtensions, showExtension } from './ext-query.js';
import { CliError } from './output.js';
import { startKernel } from './start.js';

const dataOption = () => new Option('--data <dir>', 'data folder (env LANGBOT_DATA)').default(process.env.LANGBOT_DATA || './data');
const profileOption = (fallback?: string) => {
  const option = new Option('--profile <name>', 'deployment profile from manifests/profiles (core, headless, full)');
  return fallback ? option.default(fallback) : option;
};

const program = new Command('langbot').description('LangBot TS: a plugin-first IM bot platform kernel.').showHelpAfterError();

program
  .command('start')
  .description('start the kernel and log which extensions are active and why')
  .addOption(profileOption('full'))
  .addOption(dataOption())
  .option('--port <n>', 'port of the HTTP server (saved as langbot.http\'s port setting)')
  .option('--no-watch', 'do not hot-reload drop-in extension folders')
  .action((opts) => startKernel(opts));

const ext = program.command('ext').description('inspect and manage extensions');
ext
  .command('list')
  .description('list extensions with their state and why')
  .addOption(dataOption())
  .addOption(profileOption())
  .option('--json', 'print JSON')
  .action((opts) => listExtensions(opts));
ext
  .command('info <id>')
  .description("show an extension's manifest summary, state and any manifest issues")
  .addOption(dataOption())
  .addOption(profileOption())
  .action((id, opts) => showExtension(id, opts));
ext
  .command('enable <id>')
  .description('enable an extension (a running kernel applies it at once)')
  .addOption(dataOption())
  .action((id, opts) => setEnabled(id, true, opts));
ext
  .command('disable <id>')
  .description('disable an extension (a running kernel applies it at once)')
  .addOption(dataOption())
  .action((id, opts) => setEnabled(id, false, opts));
ext
  .command('config <id> [settings...]')
  .description('show or change an extension\'s settings: key=value (JSON values parse, e.g. port=5301); a running kernel restarts it')
  .addOption(dataOption())
  .option('--json', 'print JSON')
  .action((id, settings, opts) => configureExtension(id, settings, opts));
ext
  .command('install <source>')
  .description('install an extension folder or .tgz archive as a drop-in')
  .addOption(dataOption())
  .action((source, opts) => installExtension(source, opts));
ext
  .command('remove <id>')
  .description('remove a drop-in extension')
  .addOption(dataOption())
  .option('--keep-data', "keep the extension's data folder")
  .action((id, opts) => removeExtension(id, opts));

// Its own bundle (marketplace/cli/main.ts): the kernel never imports the marketplace. The sibling of
// dist/langbot.mjs, also when the CLI runs from source.
const marketFile = join(REPO_ROOT, 'dist', 'market.mjs');
program.command('market', 'browse, install and host extension registries', { executableFile: marketFile });
program.hook('preSubcommand', (_program, sub) => {
  if (sub.name() === 'market' && !existsSync(marketFile)) {
    throw new CliError(`The marketplace CLI is not built: ${marketFile} is missing. Run \`node scripts/build.mjs\` (or \`npm run build\`) first.`);
  }
});

program
  .command('doctor')
  .description('check the environment and explain why each extension is or is not active')
  .addOption(dataOption())
  .addOption(profileOption())
  .action(async (opts) => void (process.exitCode = await doctor(opts)));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const detail = process.env.LANGBOT_DEBUG ? (e as Error).stack : (e as Error).message;
  console.error(e instanceof CliError ? e.message : `langbot: ${detail ?? String(e)}`);
  process.exitCode = e instanceof CliError ? e.exitCode : 1;
}
