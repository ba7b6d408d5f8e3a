/**
 * Builds the bundled offline registry, marketplace/registry/, from the sample extensions in marketplace/samples/:
 * packs each sample (as `langbot-ext pack` does) into packages/, then rebuilds index.json and signs it with the
 * committed sample key. Re-running with unchanged samples changes nothing (packages are deterministic, and the
 * index is only rebuilt when a package changed).
 *
 *   npm run registry:samples
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { MANIFEST_FILE_NAMES } from '../../kernel/manifest/index.js';
import { REGISTRY_FILES, rebuildIndex } from '../../marketplace/builder.js';
import { INDEX_FORMAT, parseIndex, type RegistryIndex } from '../../marketplace/index-format.js';
import { generateKeyPair, publicKeyOf, verifyIndexSignature } from '../../marketplace/signing.js';
import { packProject } from '../../sdk/cli/pack.js';
import { sha256Hex } from '../../sdk/packaging/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLES_DIR = join(ROOT, 'marketplace/samples');
export const REGISTRY_DIR = join(ROOT, 'marketplace/registry');
export const SAMPLE_KEY_FILE = join(SAMPLES_DIR, 'sample-registry.key');
export const REGISTRY_NAME = 'LangBot TS samples';

export interface PackedSample {
  id: string;
  version: string;
  /** `<id>-<version>.tgz` */
  file: string;
  sha256: string;
  size: number;
  bytes: Buffer;
}

/** The sample folders (those with a manifest), sorted by name. */
export async function sampleDirs(samplesDir = SAMPLES_DIR): Promise<string[]> {
  const names = (await readdir(samplesDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return names.map((name) => join(samplesDir, name)).filter((dir) => MANIFEST_FILE_NAMES.some((m) => existsSync(join(dir, m))));
}

/** Packs one sample from a scratch copy, so that its build output never lands in the source tree. */
export async function packSample(dir: string): Promise<PackedSample> {
  const scratch = await mkdtemp(join(tmpdir(), 'langbot-sample-'));
  try {
    const copy = join(scratch, basename(dir));
    await cp(dir, copy, { recursive: true, filter: (src) => !/[/\\](dist|node_modules)$/.test(src) });
    const packed = await packProject(copy, { outDir: join(scratch, 'out') });
    const bytes = await readFile(packed.file);
    return { id: packed.id, version: packed.version, file: basename(packed.file), sha256: packed.sha256, size: packed.size, bytes };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The committed sample key, created on first use. */
export async function sampleKey(keyFile = SAMPLE_KEY_FILE): Promise<{ privateKeyPem: string; publicKey: string; created: boolean }> {
  if (existsSync(keyFile)) {
    const privateKeyPem = await readFile(keyFile, 'utf8');
    return { privateKeyPem, publicKey: publicKeyOf(privateKeyPem), created: false };
  }
  const { privateKeyPem, publicKey } = generateKeyPair();
  await writeFile(keyFile, privateKeyPem);
  return { privateKeyPem, publicKey, created: true };
}

export interface BundleResult {
  packages: (Omit<PackedSample, 'bytes'> & { status: 'new' | 'changed' | 'unchanged' })[];
  removed: string[];
  /** False when the committed index already described exactly these packages. */
  indexRebuilt: boolean;
  publicKey: string;
}

export async function bundleSamples(options: { samplesDir?: string; registryDir?: string; keyFile?: string; now?: Date; log?: (line: string) => void } = {}): Promise<BundleResult> {
  const registryDir = options.registryDir ?? REGISTRY_DIR;
  const log = options.log ?? (() => {});
  const key = await sampleKey(options.keyFile);
  if (key.created) log(`Created the sample signing key ${options.keyFile ?? SAMPLE_KEY_FILE}.`);
  const packagesDir = join(registryDir, REGISTRY_FILES.packages);
  await mkdir(packagesDir, { recursive: true });

  const packages: BundleResult['packages'] = [];
  for (const dir of await sampleDirs(options.samplesDir)) {
    const { bytes, ...packed } = await packSample(dir);
    const target = join(packagesDir, packed.file);
    const before = existsSync(target) ? sha256Hex(await readFile(target)) : undefined;
    const status = before === undefined ? 'new' : before === packed.sha256 ? 'unchanged' : 'changed';
    if (status !== 'unchanged') await writeFile(target, bytes);
    if (status === 'changed') log(`${packed.id} ${packed.version} changed without a new version; consider bumping its version.`);
    log(`${packed.file}: ${status} (sha256 ${packed.sha256.slice(0, 12)}…, ${packed.size} bytes)`);
    packages.push({ ...packed, status });
  }

  // Packages of samples that no longer exist go; older versions of existing samples stay (rollback history).
  const ids = new Set(packages.map((p) => p.id));
  const removed: string[] = [];
  for (const name of await readdir(packagesDir)) {
    const id = name.endsWith('.tgz') ? name.replace(/-\d+\.\d+\.\d+(?:[-+].*)?\.tgz$/, '') : undefined;
    if (id !== undefined && !ids.has(id)) {
      await rm(join(packagesDir, name));
      removed.push(name);
      log(`${name}: removed (no such sample)`);
    }
  }

  const current = await currentIndex(registryDir, key.publicKey);
  const upToDate = current !== undefined && removed.length === 0 && packages.every((p) => p.status === 'unchanged') && describesPackages(current, await packageHashes(packagesDir));
  if (!upToDate) {
    await ensureName(registryDir, current, options.now);
    await rebuildIndex(registryDir, { privateKeyPem: key.privateKeyPem, now: options.now });
  }
  log(upToDate ? 'The index is up to date.' : `Rebuilt and signed ${join(registryDir, REGISTRY_FILES.index)} (${key.publicKey}).`);
  return { packages, removed, indexRebuilt: !upToDate, publicKey: key.publicKey };
}

/** The committed index, if it parses, is signed by the sample key and carries the registry's name. */
async function currentIndex(registryDir: string, publicKey: string): Promise<RegistryIndex | undefined> {
  try {
    const bytes = await readFile(join(registryDir, REGISTRY_FILES.index));
    verifyIndexSignature(bytes, await readFile(join(registryDir, REGISTRY_FILES.signature), 'utf8'), [publicKey]);
    const pub = (await readFile(join(registryDir, REGISTRY_FILES.publicKey), 'utf8')).trim();
    const index = parseIndex(bytes);
    return index.name === REGISTRY_NAME && pub === publicKey ? index : undefined;
  } catch {
    return undefined;
  }
}

async function packageHashes(packagesDir: string): Promise<Map<string, string>> {
  const names = (await readdir(packagesDir)).filter((n) => n.endsWith('.tgz')).sort();
  return new Map(await Promise.all(names.map(async (n) => [`${REGISTRY_FILES.packages}/${n}`, sha256Hex(await readFile(join(packagesDir, n)))] as const)));
}

function describesPackages(index: RegistryIndex, hashes: Map<string, string>): boolean {
  const listed = index.extensions.flatMap((e) => e.versions.map((v) => [v.package.path, v.package.sha256] as const));
  return listed.length === hashes.size && listed.every(([path, sha]) => hashes.get(path) === sha);
}

/** The builder keeps the name of the index it rebuilds; a new (or renamed) registry starts from an empty one. */
async function ensureName(registryDir: string, current: RegistryIndex | undefined, now = new Date()): Promise<void> {
  if (current?.name === REGISTRY_NAME) return;
  let index: RegistryIndex = { format: INDEX_FORMAT, name: REGISTRY_NAME, generatedAt: now.toISOString(), extensions: [] };
  try {
    index = { ...parseIndex(await readFile(join(registryDir, REGISTRY_FILES.index))), name: REGISTRY_NAME };
  } catch {
    // No readable index: start from the empty one.
  }
  await writeFile(join(registryDir, REGISTRY_FILES.index), `${JSON.stringify(index, null, 2)}\n`);
}

export async function main(): Promise<number> {
  const result = await bundleSamples({ log: (line) => console.log(line) });
  console.log(`${result.packages.length} sample(s) in ${REGISTRY_DIR}; trust it with --trust ${result.publicKey}`);
  return 0;
}
