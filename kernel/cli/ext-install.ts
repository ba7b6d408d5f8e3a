import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { formatIssue, readManifest } from '../manifest/index.js';
import { takeInventory } from './inventory.js';
import { trashPath } from './ext-manage.js';
import { CliError } from './output.js';

const isArchive = (path: string) => /\.(tgz|tar\.gz)$/.test(path);

/** Extracts an npm-pack archive (files under `package/`) with the system tar; returns the extension folder. */
async function extract(archive: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const tmp = await mkdtemp(join(tmpdir(), 'langbot-install-'));
  const cleanup = () => rm(tmp, { recursive: true, force: true });
  try {
    // GNU tar drops absolute paths and '..' members itself; files belong to whoever installs, not to the archive.
    await promisify(execFile)('tar', ['-xzf', archive, '-C', tmp, '--no-same-owner', '--no-same-permissions']);
  } catch (e) {
    await cleanup();
    throw new CliError(`Could not extract ${archive}: ${(e as Error).message.trim()}`);
  }
  return { dir: existsSync(join(tmp, 'package')) ? join(tmp, 'package') : tmp, cleanup };
}

/** Validates, copies into a staging folder and switches it in with one rename; a replaced version is restored on failure. */
export async function installExtension(source: string, opts: { data: string }): Promise<void> {
  source = resolve(source);
  if (!existsSync(source)) throw new CliError(`${source} does not exist.`);
  const archive = isArchive(source);
  if (!archive && !statSync(source).isDirectory()) throw new CliError(`${source} is neither a folder nor a .tgz archive.`);
  const { dir, cleanup } = archive ? await extract(source) : { dir: source, cleanup: async () => {} };
  try {
    const result = await readManifest(dir);
    if (!result.ok) {
      throw new CliError(`Refusing to install ${source}: the manifest is invalid.\n${result.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    }
    const { id, version } = result.manifest;
    const inventory = await takeInventory(opts.data);
    const existing = inventory.entries.find((e) => e.id === id);
    if (existing?.source === 'builtin') throw new CliError(`${id} is a built-in extension (${existing.dir}); a drop-in cannot replace it.`);
    const root = join(inventory.dataDir, 'extensions');
    const target = join(root, id);
    const staging = join(root, `.staging-${id}-${randomBytes(4).toString('hex')}`);
    await mkdir(root, { recursive: true });
    await cp(dir, staging, { recursive: true, filter: (path) => basename(path) !== 'node_modules' });
    const previous = existing?.dir ?? (existsSync(target) ? target : undefined);
    const trashed = previous && trashPath(inventory.dataDir, basename(previous));
    try {
      if (previous && trashed) {
        await mkdir(join(inventory.dataDir, '.trash'), { recursive: true });
        await rename(previous, trashed);
      }
      await rename(staging, target);
    } catch (e) {
      if (previous && trashed && existsSync(trashed) && !existsSync(previous)) await rename(trashed, previous);
      await rm(staging, { recursive: true, force: true });
      throw new CliError(`Could not install ${id}: ${(e as Error).message}${previous ? ' The previous version was kept.' : ''}`);
    }
    if (trashed) await rm(trashed, { recursive: true, force: true });
    const replaced = existing?.manifest ? ` (replacing ${existing.manifest.version})` : '';
    console.log(`Installed ${id} ${version}${replaced} into ${target}.`);
    console.log(inventory.status ? `The running kernel (pid ${inventory.status.pid}) loads it now.` : 'It loads on the next `langbot start`.');
  } finally {
    await cleanup();
  }
}
