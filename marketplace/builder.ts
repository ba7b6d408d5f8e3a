import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { PackageError, readPackage, sha256Hex, type ExtensionPackage } from '../sdk/packaging/index.js';
import { MarketError } from './errors.js';
import { INDEX_FORMAT, parseIndex, type IndexVersion, type RegistryIndex } from './index-format.js';
import { entryOf, versionOf } from './index-entry.js';
import { generateKeyPair, publicKeyOf, signBytes } from './signing.js';

/** The files of a registry folder. registry.key and publish-token are never served. */
export const REGISTRY_FILES = {
  index: 'index.json',
  signature: 'index.json.sig',
  publicKey: 'registry.pub',
  privateKey: 'registry.key',
  token: 'publish-token',
  packages: 'packages',
} as const;

export const DEFAULT_REGISTRY_NAME = 'Local registry';

export interface SignOptions {
  /** Defaults to `<dir>/registry.key`. */
  privateKeyPem?: string;
  /** Makes generatedAt and the publishedAt of new versions reproducible. */
  now?: Date;
}

/** Creates a registry folder: key pair, publish token, empty packages/ and a signed empty index. */
export async function initRegistry(dir: string, options: { name?: string; now?: Date } = {}): Promise<{ publicKey: string; token: string }> {
  if (existsSync(join(dir, REGISTRY_FILES.index)) || existsSync(join(dir, REGISTRY_FILES.privateKey))) {
    throw new Error(`${dir} is already a registry (it has ${REGISTRY_FILES.index} or ${REGISTRY_FILES.privateKey}).`);
  }
  await mkdir(join(dir, REGISTRY_FILES.packages), { recursive: true });
  const { publicKey, privateKeyPem } = generateKeyPair();
  const token = randomBytes(32).toString('base64url');
  await writeSecret(join(dir, REGISTRY_FILES.privateKey), privateKeyPem);
  await writeSecret(join(dir, REGISTRY_FILES.token), `${token}\n`);
  await writeIndex(dir, emptyIndex(options.name ?? DEFAULT_REGISTRY_NAME, options.now), privateKeyPem);
  return { publicKey, token };
}

/**
 * Adds a package to the registry and re-signs the index. The same id and version with other bytes is refused
 * (`version_exists`); the same bytes again change nothing.
 */
export async function addPackage(dir: string, bytes: Uint8Array, options: SignOptions = {}): Promise<IndexVersion & { id: string }> {
  const pkg = await readPackage(bytes).catch((error: unknown) => {
    if (error instanceof PackageError) throw new MarketError('bad_package', error.message, { reason: error.code, ...error.details });
    throw error;
  });
  const { id, version } = pkg.manifest;
  return locked(dir, async () => {
    const listed = (await readIndex(dir).catch(() => undefined))?.extensions.find((e) => e.id === id)?.versions.find((v) => v.version === version);
    const file = join(dir, REGISTRY_FILES.packages, `${id}-${version}.tgz`);
    const existed = existsSync(file);
    if (listed || existed) {
      const existing = listed?.package.sha256 ?? sha256Hex(await readFile(file));
      if (existing !== pkg.sha256) {
        throw new MarketError('version_exists', `${id} ${version} is already in the registry with other contents; publish a new version.`, { id, version });
      }
      if (listed) return { ...listed, id };
    }
    await mkdir(join(dir, REGISTRY_FILES.packages), { recursive: true });
    const temp = join(dir, REGISTRY_FILES.packages, `.${id}-${version}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, bytes);
    await rename(temp, file);
    try {
      const index = await rebuild(dir, options);
      const added = index.extensions.find((e) => e.id === id)!.versions.find((v) => v.version === version)!;
      return { ...added, id };
    } catch (error) {
      if (!existed) await rm(file, { force: true });
      throw error;
    }
  });
}

/** Rebuilds index.json from packages/*.tgz (each one read and verified) and signs it. */
export async function rebuildIndex(dir: string, options: SignOptions = {}): Promise<RegistryIndex> {
  return locked(dir, () => rebuild(dir, options));
}

async function rebuild(dir: string, options: SignOptions): Promise<RegistryIndex> {
  const privateKeyPem = options.privateKeyPem ?? (await readPrivateKey(dir));
  const now = (options.now ?? new Date()).toISOString();
  const previous = await readIndex(dir).catch(() => undefined);
  const published = new Map(previous?.extensions.flatMap((e) => e.versions.map((v) => [`${e.id}@${v.version}@${v.package.sha256}`, v.publishedAt])) ?? []);

  const byId = new Map<string, { pkg: ExtensionPackage; version: IndexVersion }[]>();
  const folder = join(dir, REGISTRY_FILES.packages);
  const names = existsSync(folder) ? (await readdir(folder)).filter((n) => n.endsWith('.tgz') && !n.startsWith('.')).sort() : [];
  for (const name of names) {
    const path = `${REGISTRY_FILES.packages}/${name}`;
    const pkg = await readPackage(await readFile(join(folder, name))).catch((error: unknown) => {
      if (error instanceof PackageError) throw new MarketError('bad_package', `${path}: ${error.message}`, { reason: error.code, file: path });
      throw error;
    });
    const { id, version } = pkg.manifest;
    const versions = byId.get(id) ?? [];
    const twin = versions.find((v) => v.pkg.manifest.version === version);
    if (twin) {
      throw new MarketError('version_exists', `${twin.version.package.path} and ${path} are both ${id} ${version}; remove one.`, { id, version });
    }
    const publishedAt = published.get(`${id}@${version}@${pkg.sha256}`) ?? now;
    versions.push({ pkg, version: versionOf(pkg, path, publishedAt) });
    byId.set(id, versions);
  }

  const extensions = [...byId.keys()].sort().map((id) => {
    const versions = byId.get(id)!.sort((a, b) => semver.rcompare(a.pkg.manifest.version, b.pkg.manifest.version));
    return entryOf(versions[0].pkg, versions.map((v) => v.version));
  });
  const index: RegistryIndex = { format: INDEX_FORMAT, name: previous?.name ?? DEFAULT_REGISTRY_NAME, generatedAt: now, extensions };
  await writeIndex(dir, index, privateKeyPem);
  return index;
}

function emptyIndex(name: string, now = new Date()): RegistryIndex {
  return { format: INDEX_FORMAT, name, generatedAt: now.toISOString(), extensions: [] };
}

async function readIndex(dir: string): Promise<RegistryIndex | undefined> {
  const file = join(dir, REGISTRY_FILES.index);
  return existsSync(file) ? parseIndex(await readFile(file)) : undefined;
}

async function readPrivateKey(dir: string): Promise<string> {
  const file = join(dir, REGISTRY_FILES.privateKey);
  if (!existsSync(file)) throw new Error(`${dir} has no ${REGISTRY_FILES.privateKey}; create the registry with \`langbot market init ${dir}\`.`);
  return readFile(file, 'utf8');
}

/** Writes index.json, its signature and registry.pub, each with one rename. */
async function writeIndex(dir: string, index: RegistryIndex, privateKeyPem: string): Promise<void> {
  const bytes = Buffer.from(`${JSON.stringify(index, null, 2)}\n`);
  const signature = signBytes(bytes, privateKeyPem);
  await writeAtomically(join(dir, REGISTRY_FILES.index), bytes);
  await writeAtomically(join(dir, REGISTRY_FILES.signature), `${JSON.stringify(signature, null, 2)}\n`);
  await writeAtomically(join(dir, REGISTRY_FILES.publicKey), `${publicKeyOf(privateKeyPem)}\n`);
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}

async function writeSecret(file: string, data: string): Promise<void> {
  await writeFile(file, data, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}

const queues = new Map<string, Promise<unknown>>();

/** Runs changes to one registry folder one after another (within this process). */
function locked<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(dir);
  const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
  const tail = run.catch(() => {});
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
}
