import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { extract, pack, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import {
  createPackage,
  extractPackage,
  PACKAGE_LIMITS,
  PackageError,
  packDirectory,
  readPackage,
  sha256Hex,
  type PackageErrorCode,
} from '../../sdk/packaging/index.js';

const MANIFEST = `id: acme.weather
version: 1.2.0
displayName: { en_US: Weather, zh_Hans: 天气 }
engines: { langbot: ^0.1.0 }
entry: ./dist/extension.js
permissions: { services: [tools], network: true }
contributes:
  tools:
    - { name: weather, description: The weather, parameters: { type: object } }
`;

const text = (s: string) => Buffer.from(s);

function sampleFiles(manifest = MANIFEST): Map<string, Uint8Array> {
  return new Map([
    ['manifest.yaml', text(manifest)],
    ['dist/extension.js', text('export default {};\n')],
    ['README.md', text('# Weather\n')],
  ]);
}

interface RawEntry extends Partial<Header> {
  name: string;
  body?: string | Buffer;
}

/** A .tgz written entry by entry, with none of createPackage's safety checks: for crafting hostile archives. */
async function rawTgz(entries: RawEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => tar.on('end', () => resolve()));
  tar.on('data', (chunk) => chunks.push(chunk as Buffer));
  for (const { body, ...header } of entries) {
    if (body === undefined) tar.entry({ type: 'file', ...header });
    else tar.entry({ type: 'file', ...header }, Buffer.from(body));
  }
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 1 });
}

/** The entries of a package as [name, header, body]. */
async function entriesOf(tgz: Buffer): Promise<{ header: Header; body: Buffer }[]> {
  const reader = extract();
  reader.end(gunzipSync(tgz));
  const entries: { header: Header; body: Buffer }[] = [];
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    entries.push({ header: entry.header, body: Buffer.concat(chunks) });
  }
  return entries;
}

/** The same archive with one entry's body replaced (integrity.json left as it was). */
async function tamper(tgz: Buffer, name: string, body: string): Promise<Buffer> {
  const entries = await entriesOf(tgz);
  return rawTgz(entries.map(({ header, body: original }) => ({ ...header, body: header.name === name ? body : original })));
}

async function refusal(bytes: Buffer): Promise<PackageError> {
  const error = await readPackage(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackageError);
  return error as PackageError;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'langbot-pkg-'));

describe('createPackage / readPackage', () => {
  it('packs deterministically: same files (in any order) give the same bytes, hence the same sha256', async () => {
    const first = await createPackage(sampleFiles());
    const reordered = new Map([...sampleFiles()].reverse());
    const second = await createPackage(reordered);
    expect(second.equals(first)).toBe(true);
    expect(sha256Hex(second)).toBe(sha256Hex(first));
    const changed = await createPackage(new Map([...sampleFiles(), ['README.md', text('# Weather!\n')]]));
    expect(sha256Hex(changed)).not.toBe(sha256Hex(first));
  });

  it('writes sorted entries under package/ with fixed times, modes and owners, and a gzip header without a timestamp', async () => {
    const tgz = await createPackage(sampleFiles());
    expect(tgz.readUInt32LE(4)).toBe(0); // gzip MTIME
    const entries = await entriesOf(tgz);
    const names = entries.map((e) => e.header.name);
    expect(names).toEqual([
      'package/',
      'package/README.md',
      'package/dist/',
      'package/dist/extension.js',
      'package/integrity.json',
      'package/manifest.yaml',
    ]);
    for (const { header } of entries) {
      expect(header.mtime?.toISOString()).toBe('2000-01-01T00:00:00.000Z');
      expect(header.mode).toBe(header.type === 'directory' ? 0o755 : 0o644);
      expect([header.uid, header.gid, header.uname, header.gname]).toEqual([0, 0, '', '']);
    }
    const integrity = JSON.parse(entries.find((e) => e.header.name === 'package/integrity.json')!.body.toString());
    expect(integrity).toEqual({
      format: 'langbot-package/1',
      algorithm: 'sha256',
      files: {
        'README.md': sha256Hex(text('# Weather\n')),
        'dist/extension.js': sha256Hex(text('export default {};\n')),
        'manifest.yaml': sha256Hex(text(MANIFEST)),
      },
    });
  });

  it('reads a package back: validated manifest with defaults, every file, the README, sha256 and size', async () => {
    const tgz = await createPackage(sampleFiles());
    const pkg = await readPackage(tgz);
    expect(pkg.manifest).toMatchObject({ id: 'acme.weather', version: '1.2.0', isolation: 'process', activation: 'onUse' });
    expect(pkg.manifestFile).toBe('manifest.yaml');
    expect([...pkg.files.keys()].sort()).toEqual(['README.md', 'dist/extension.js', 'integrity.json', 'manifest.yaml']);
    expect(pkg.files.get('dist/extension.js')!.toString()).toBe('export default {};\n');
    expect(pkg.readme).toBe('# Weather\n');
    expect(pkg).toMatchObject({ sha256: sha256Hex(tgz), size: tgz.length });
  });

  it('accepts manifest.json as well', async () => {
    const json = JSON.stringify({ id: 'acme.json', version: '1.0.0', displayName: 'J', engines: { langbot: '*' } });
    const pkg = await readPackage(await createPackage(new Map([['manifest.json', text(json)]])));
    expect(pkg.manifestFile).toBe('manifest.json');
    expect(pkg.readme).toBeUndefined();
  });
});

describe('readPackage refuses what it cannot trust', () => {
  it('a file changed inside the archive: integrity_mismatch naming the file', async () => {
    const tampered = await tamper(await createPackage(sampleFiles()), 'package/dist/extension.js', 'steal();\n');
    const error = await refusal(tampered);
    expect(error.code).toBe('integrity_mismatch');
    expect(error.message).toContain('package/dist/extension.js does not match its sha256');
    expect(error.details).toEqual({ file: 'package/dist/extension.js' });
  });

  it('a file added after packing, and a missing integrity.json: integrity_mismatch', async () => {
    const entries = await entriesOf(await createPackage(sampleFiles()));
    const added = await rawTgz([...entries.map((e) => ({ ...e.header, body: e.body })), { name: 'package/extra.js', body: 'x' }]);
    expect((await refusal(added)).message).toContain('package/extra.js is not listed in package/integrity.json');
    const without = await rawTgz(entries.filter((e) => !e.header.name.endsWith('integrity.json')).map((e) => ({ ...e.header, body: e.body })));
    const error = await refusal(without);
    expect(error.code).toBe('integrity_mismatch');
    expect(error.message).toContain('no package/integrity.json');
  });

  it('a file listed in integrity.json but absent: integrity_mismatch', async () => {
    const entries = await entriesOf(await createPackage(sampleFiles()));
    const removed = await rawTgz(entries.filter((e) => e.header.name !== 'package/README.md').map((e) => ({ ...e.header, body: e.body })));
    expect((await refusal(removed)).message).toBe('package/integrity.json lists README.md, which is not in the package.');
  });

  const manifestEntry = { name: 'package/manifest.yaml', body: MANIFEST };
  it.each<[string, RawEntry[], string]>([
    ['a symlink', [manifestEntry, { name: 'package/link', type: 'symlink', linkname: '/etc/passwd' }], 'it is a symlink'],
    ['a hard link', [manifestEntry, { name: 'package/hard', type: 'link', linkname: 'package/manifest.yaml' }], 'it is a link'],
    ['a device', [manifestEntry, { name: 'package/dev', type: 'character-device' }], 'it is a character-device'],
    ["a '..' path", [manifestEntry, { name: 'package/../escape.js', body: 'x' }], "'..' is not allowed"],
    ['an absolute path', [manifestEntry, { name: '/etc/cron.d/x', body: 'x' }], 'every entry must be under package/'],
    ['an absolute path inside package/', [manifestEntry, { name: 'package//etc/x', body: 'x' }], 'absolute paths are not allowed'],
    ['an empty path segment', [manifestEntry, { name: 'package/a//b.js', body: 'x' }], "empty and '.' path segments"],
    ['a NUL character (in a pax path)', [manifestEntry, { name: 'package/a.js', pax: { path: 'package/a\u0000.js' }, body: 'x' }], 'NUL'],
    ['a path outside package/', [manifestEntry, { name: 'other/file.js', body: 'x' }], 'every entry must be under package/'],
    ['a backslash', [manifestEntry, { name: 'package/..\\..\\x.js', body: 'x' }], 'backslashes are not allowed'],
    ['a duplicate', [manifestEntry, { name: 'package/a.js', body: '1' }, { name: 'package/a.js', body: '2' }], 'Duplicate entry'],
    ['a duplicate in another case', [manifestEntry, { name: 'package/A.js', body: '1' }, { name: 'package/a.js', body: '2' }], 'Duplicate entry'],
    ['a file used as a folder', [manifestEntry, { name: 'package/a', body: '1' }, { name: 'package/a/b.js', body: '2' }], 'which is a file'],
  ])('%s: unsafe_entry', async (_, entries, reason) => {
    const error = await refusal(await rawTgz(entries));
    expect(error.code).toBe('unsafe_entry');
    expect(error.message).toContain(reason);
  });

  it('more entries than allowed: too_large', async () => {
    const entries: RawEntry[] = [{ name: 'package/manifest.yaml', body: MANIFEST }];
    for (let i = 0; i < PACKAGE_LIMITS.maxEntries; i++) entries.push({ name: `package/f${i}.txt`, body: '' });
    const error = await refusal(await rawTgz(entries));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain(`more than ${PACKAGE_LIMITS.maxEntries} entries`);
    const files = new Map<string, Uint8Array>(entries.map((e) => [e.name.slice('package/'.length), text(String(e.body))]));
    await expect(createPackage(files)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('a file larger than allowed, and an archive that inflates beyond the total: too_large', async () => {
    const big = Buffer.alloc(PACKAGE_LIMITS.maxEntryBytes + 1);
    const error = await refusal(await rawTgz([{ name: 'package/manifest.yaml', body: MANIFEST }, { name: 'package/big.bin', body: big }]));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('package/big.bin');
    const bomb = gzipSync(Buffer.alloc(PACKAGE_LIMITS.maxTotalBytes + 4 * 1024 * 1024), { level: 1 });
    expect((await refusal(bomb)).code).toBe('too_large');
  });

  it.each<[string, Buffer, PackageErrorCode]>([
    ['not gzip', text('just text'), 'bad_archive'],
    ['gzip but not tar', gzipSync(text('just text, not a tar archive'.repeat(30))), 'bad_archive'],
  ])('%s: %s', async (_, bytes, code) => {
    expect((await refusal(bytes)).code).toBe(code);
  });

  it('no manifest: missing_manifest', async () => {
    const files = sampleFiles();
    files.delete('manifest.yaml');
    const error = await refusal(await createPackage(files));
    expect(error.code).toBe('missing_manifest');
    expect(error.message).toContain('package/manifest.yaml');
  });

  it('an invalid manifest: invalid_manifest naming the file and the field', async () => {
    const error = await refusal(await createPackage(sampleFiles(MANIFEST.replace('version: 1.2.0', 'version: one'))));
    expect(error.code).toBe('invalid_manifest');
    expect(error.message).toContain("package/manifest.yaml: /version: 'version' must be a semantic version");
    expect(error.details).toMatchObject({ file: 'package/manifest.yaml', issues: [expect.objectContaining({ path: '/version' })] });
  });

  it('a manifest whose entry is not in the package: invalid_manifest at /entry', async () => {
    const files = sampleFiles();
    files.delete('dist/extension.js');
    const error = await refusal(await createPackage(files));
    expect(error.code).toBe('invalid_manifest');
    expect(error.message).toContain('package/manifest.yaml: /entry: "./dist/extension.js" is not a file in the package');
  });
});

describe('extractPackage', () => {
  it('writes every file under a new folder and refuses an existing one', async () => {
    const pkg = await readPackage(await createPackage(sampleFiles()));
    const dir = join(tempDir(), 'nested', 'acme.weather@1.2.0');
    await extractPackage(pkg, dir);
    expect(readFileSync(join(dir, 'dist', 'extension.js'), 'utf8')).toBe('export default {};\n');
    expect(readFileSync(join(dir, 'manifest.yaml'), 'utf8')).toBe(MANIFEST);
    expect(existsSync(join(dir, 'integrity.json'))).toBe(true);
    await expect(extractPackage(pkg, dir)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('refuses a hand-made package with an unsafe path', async () => {
    const pkg = await readPackage(await createPackage(sampleFiles()));
    pkg.files.set('../escape.js', text('x'));
    const parent = tempDir();
    await expect(extractPackage(pkg, join(parent, 'x'))).rejects.toMatchObject({ code: 'unsafe_entry' });
    expect(existsSync(join(parent, 'escape.js'))).toBe(false);
  });
});

describe('packDirectory', () => {
  function extensionFolder(): string {
    const dir = tempDir();
    for (const [path, bytes] of sampleFiles()) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), '');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), '');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    writeFileSync(join(dir, 'old-1.0.0.tgz'), '');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'index.ts'), 'export {};');
    return dir;
  }

  it('packs a folder into <id>-<version>.tgz without node_modules, dotfiles and archives, reproducibly', async () => {
    const dir = extensionFolder();
    const outDir = join(tempDir(), 'out');
    const result = await packDirectory(dir, { outDir });
    expect(result).toMatchObject({ file: join(outDir, 'acme.weather-1.2.0.tgz'), id: 'acme.weather', version: '1.2.0' });
    const bytes = readFileSync(result.file);
    expect(result).toMatchObject({ sha256: sha256Hex(bytes), size: bytes.length });
    const pkg = await readPackage(bytes);
    expect([...pkg.files.keys()].sort()).toEqual(['README.md', 'dist/extension.js', 'integrity.json', 'manifest.yaml', 'src/index.ts']);
    expect((await packDirectory(dir, { outDir })).sha256).toBe(result.sha256);
  });

  it('applies the filter to file paths', async () => {
    const result = await packDirectory(extensionFolder(), { outDir: tempDir(), filter: (path) => !path.startsWith('src/') });
    expect([...(await readPackage(readFileSync(result.file))).files.keys()]).not.toContain('src/index.ts');
  });

  it('refuses a folder with an invalid manifest or a symbolic link', async () => {
    const invalid = extensionFolder();
    writeFileSync(join(invalid, 'manifest.yaml'), MANIFEST.replace('acme.weather', 'Acme Weather'));
    await expect(packDirectory(invalid, { outDir: tempDir() })).rejects.toMatchObject({ code: 'invalid_manifest', message: expect.stringContaining('/id') });
    const linked = extensionFolder();
    symlinkSync('/etc/passwd', join(linked, 'passwd'));
    await expect(packDirectory(linked, { outDir: tempDir() })).rejects.toMatchObject({ code: 'unsafe_entry', message: expect.stringContaining('passwd') });
  });
});
