import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { PackageError } from '../../sdk/packaging/index.js';
import { addPackage, initRegistry, rebuildIndex, REGISTRY_FILES } from '../builder.js';
import { MarketError } from '../errors.js';
import { parseIndex } from '../index-format.js';
import { serveRegistry } from '../server.js';
import { generateKeyPair, keyIdOf } from '../signing.js';
import { registerClientCommands } from './client-commands.js';

const program = new Command('langbot market')
  .description('Host an extension registry and install extensions from registries.')
  .showHelpAfterError();

program
  .command('init <dir>')
  .description('create a registry folder: signing key, publish token and an empty signed index')
  .option('--name <name>', 'name shown to users', 'Local registry')
  .action(async (dir: string, opts: { name: string }) => {
    const { publicKey, token } = await initRegistry(dir, { name: opts.name });
    console.log(`Created registry "${opts.name}" in ${resolve(dir)}.`);
    console.log(`Public key (clients trust it with --trust): ${publicKey} (key id ${keyIdOf(publicKey)})`);
    console.log(`Publish token (in ${join(dir, REGISTRY_FILES.token)}): ${token}`);
    console.log(`Keep ${join(dir, REGISTRY_FILES.privateKey)} and the token secret. Serve it with: langbot market serve ${dir}`);
  });

program
  .command('serve <dir>')
  .description('serve a registry folder over HTTP; POST /publish adds packages')
  .addOption(new Option('--port <n>', 'port (0 picks a free one)').default(5320).argParser(port))
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--token <token>', 'publish token (default: the folder\'s publish-token)')
  .action(async (dir: string, opts: { port: number; host: string; token?: string }) => {
    const index = parseIndex(await readFile(join(dir, REGISTRY_FILES.index)).catch(() => notARegistry(dir)));
    const publicKey = (await readFile(join(dir, REGISTRY_FILES.publicKey), 'utf8').catch(() => '')).trim();
    const tokenFile = join(dir, REGISTRY_FILES.token);
    const token = opts.token ?? (existsSync(tokenFile) ? (await readFile(tokenFile, 'utf8')).trim() : undefined);
    const server = await serveRegistry(dir, { port: opts.port, host: opts.host, token, log: (line) => console.log(line) });
    console.log(`Serving registry "${index.name}" (${index.extensions.length} extensions) at ${server.url}`);
    if (publicKey) console.log(`Public key: ${publicKey} (key id ${keyIdOf(publicKey)})`);
    console.log(
      token === undefined
        ? `Publishing is disabled: ${tokenFile} does not exist (pass --token to enable it).`
        : `publish with: npx langbot-ext publish --registry ${server.url} --token ${token}`,
    );
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('add <dir> <package>')
  .description('add a package (.tgz) to a registry folder and re-sign its index')
  .action(async (dir: string, file: string) => {
    if (!existsSync(join(dir, REGISTRY_FILES.index))) notARegistry(dir);
    const added = await addPackage(dir, await readFile(file));
    console.log(`Added ${added.id} ${added.version} (${added.package.path}, sha256 ${added.package.sha256}).`);
  });

program
  .command('index <dir>')
  .description('rebuild and re-sign index.json from the packages/ folder')
  .action(async (dir: string) => {
    const index = await rebuildIndex(dir);
    const versions = index.extensions.reduce((n, e) => n + e.versions.length, 0);
    console.log(`Indexed ${index.extensions.length} extensions (${versions} versions) in ${join(dir, REGISTRY_FILES.index)}.`);
  });

program
  .command('keygen')
  .description('generate an ed25519 signing key pair')
  .option('--out <file>', 'write the private key (PEM) to this file instead of printing it')
  .action(async (opts: { out?: string }) => {
    const { publicKey, privateKeyPem } = generateKeyPair();
    if (opts.out) {
      if (existsSync(opts.out)) throw new Error(`${opts.out} already exists; choose another file.`);
      await writeFile(opts.out, privateKeyPem, { mode: 0o600, flag: 'wx' });
      console.log(`Wrote the private key to ${opts.out}.`);
    } else {
      process.stdout.write(privateKeyPem);
    }
    console.log(`Public key: ${publicKey} (key id ${keyIdOf(publicKey)})`);
  });

registerClientCommands(program);

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a number from 0 to 65535.');
  return n;
}

function notARegistry(dir: string): never {
  throw new Error(`${dir} is not a registry (no ${REGISTRY_FILES.index}); create one with \`langbot market init ${dir}\`.`);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const known = e instanceof MarketError || e instanceof PackageError;
  const code = known ? ` [${e.code}]` : '';
  console.error(`langbot market: ${process.env.LANGBOT_DEBUG ? (e as Error).stack : (e as Error).message}${code}`);
  process.exitCode = 1;
}
