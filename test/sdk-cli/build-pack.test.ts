import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { extractPackage, readPackage } from '../../sdk/packaging/index.js';
import { buildProject } from '../../sdk/cli/build.js';
import { createProject } from '../../sdk/cli/create.js';
import { packProject } from '../../sdk/cli/pack.js';
import { validateProject } from '../../sdk/cli/validate.js';
import { startChat, type ChatHarness } from '../../sdk/testing/index.js';
import { langbotExt, tempDir } from './support.js';

const project = async (kind: string, name = 'weather') => (await createProject(name, { kind, dir: tempDir(), id: `acme.${name}` })).dir;
const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));

const chats: ChatHarness[] = [];
afterEach(async () => {
  await Promise.all(chats.splice(0).map((c) => c.stop()));
});

describe('langbot-ext validate', () => {
  it('names the file, the JSON path and the problem of each manifest field, and exits 1', async () => {
    const dir = await project('tool');
    edit(join(dir, 'manifest.yaml'), (t) => t.replace('name: "weather"', 'name: "weather tool!"').replace('isolation: process', 'isolation: sandbox'));
    const run = await langbotExt(['validate', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('2 problems:');
    expect(run.stderr).toMatch(/manifest\.yaml: \/contributes\/tools\/0\/name: 'name' must be a tool name/);
    expect(run.stderr).toMatch(/manifest\.yaml: \/isolation: .*inprocess, worker, process, isolate/);
  });

  it('reports an entry that does not exist, and a page file that does not', async () => {
    const tool = await project('tool');
    edit(join(tool, 'manifest.yaml'), (t) => t.replace('entry: ./index.ts', 'entry: ./src/main.ts'));
    expect((await validateProject(tool)).issues).toEqual([expect.stringMatching(/manifest\.yaml: \/entry: The entry '\.\/src\/main\.ts' does not exist\.$/)]);
    const page = await project('page', 'board');
    edit(join(page, 'manifest.yaml'), (t) => t.replace('./pages/index.html', './pages/main.html'));
    expect((await validateProject(page)).issues).toEqual([expect.stringMatching(/\/contributes\/pages\/0\/entry: The page '\.\/pages\/main\.html' does not exist\.$/)]);
  });

  it('reports what does not bundle as file:line:column', async () => {
    const dir = await project('tool');
    writeFileSync(join(dir, 'helper.ts'), "export const helper = (n: number) => n +;\n");
    edit(join(dir, 'index.ts'), (t) => `import { helper } from './helper.js';\nimport missing from 'no-such-package';\n${t}\nexport const used = [helper, missing];\n`);
    const { ok, issues } = await validateProject(dir);
    expect(ok).toBe(false);
    expect(issues).toEqual([expect.stringMatching(/helper\.ts:1:41: Unexpected ";"$/), expect.stringMatching(/index\.ts:2:21: Could not resolve "no-such-package"$/)]);
  });
});

describe('langbot-ext build', () => {
  it('bundles the entry into dist/extension.js with the SDK left as an import', async () => {
    const dir = await project('tool');
    writeFileSync(join(dir, 'greeting.ts'), "export const punctuation = '!';\n");
    edit(join(dir, 'index.ts'), (t) => `import { punctuation } from './greeting.js';\n${t.replace('${args.name}!', '${args.name}${punctuation}')}`);
    const built = await buildProject(dir);
    expect(built.file).toBe(join(dir, 'dist', 'extension.js'));
    const code = readFileSync(built.file, 'utf8');
    expect(built.bytes).toBe(Buffer.byteLength(code));
    expect(code).toContain('from "@langbot-ts/sdk"');
    expect(code).toContain('var punctuation = "!"');
    expect(code).not.toContain('import { punctuation }');
  });

  it('fails with file:line when the code does not compile, writing no bundle', async () => {
    const dir = await project('command');
    edit(join(dir, 'index.ts'), (t) => t.replace('const n = args.params.length;', 'const n = args.params.length +;'));
    const run = await langbotExt(['build', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The build failed:\n {2}.*index\.ts:10:39: Unexpected ";"/);
    expect(existsSync(join(dir, 'dist', 'extension.js'))).toBe(false);
  });

  it('has nothing to build for an extension of only pages', async () => {
    const run = await langbotExt(['build', await project('page', 'board')]);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('Nothing to build') });
  });
});

describe('langbot-ext pack', () => {
  it('prints the file, sha256 and size of a package that readPackage accepts, with the bundle instead of the sources', async () => {
    const dir = await project('tool');
    writeFileSync(join(dir, 'LICENSE'), 'MIT License\n');
    const run = await langbotExt(['pack', dir]);
    expect(run.code).toBe(0);
    const file = join(dir, 'dist', 'acme.weather-0.1.0.tgz');
    const bytes = readFileSync(file);
    const pkg = await readPackage(bytes);
    expect(run.stdout).toContain(`file:   ${file}`);
    expect(run.stdout).toContain(`sha256: ${pkg.sha256}`);
    expect(run.stdout).toContain(`size:   ${bytes.length} bytes`);
    expect([...pkg.files.keys()].sort()).toEqual(['LICENSE', 'README.md', 'dist/extension.js', 'integrity.json', 'manifest.yaml']);
    expect(pkg.manifest).toMatchObject({ id: 'acme.weather', version: '0.1.0', entry: './dist/extension.js' });
    // The manifest keeps the author's layout; only the entry changed.
    expect(pkg.files.get('manifest.yaml')!.toString()).toBe(readFileSync(join(dir, 'manifest.yaml'), 'utf8').replace('entry: ./index.ts', 'entry: ./dist/extension.js'));
    expect(pkg.readme).toContain('# Weather');
  });

  it('gives the same bytes when packing the same project twice, and writes to --out', async () => {
    const dir = await project('event-listener', 'pinger');
    const out = tempDir();
    const first = await packProject(dir, { outDir: out });
    const second = await packProject(dir, { outDir: join(out, 'again') });
    expect(first.file).toBe(join(out, 'acme.pinger-0.1.0.tgz'));
    expect(second.sha256).toBe(first.sha256);
    expect(readFileSync(second.file).equals(readFileSync(first.file))).toBe(true);
    edit(join(dir, 'manifest.yaml'), (t) => t.replace('version: 0.1.0', 'version: 0.2.0'));
    expect((await packProject(dir, { outDir: out })).file).toBe(join(out, 'acme.pinger-0.2.0.tgz'));
  });

  it('packs a page with its folder and no code', async () => {
    const pkg = await readPackage(readFileSync((await packProject(await project('page', 'board'), { outDir: tempDir() })).file));
    expect([...pkg.files.keys()].sort()).toEqual(['README.md', 'integrity.json', 'manifest.yaml', 'pages/index.html', 'pages/style.css']);
    expect(pkg.manifest.entry).toBeUndefined();
  });

  it('makes a package that runs in a kernel once extracted', async () => {
    const dir = await project('tool');
    const pkg = await readPackage(readFileSync((await packProject(dir, { outDir: tempDir() })).file));
    const installed = join(tempDir(), 'acme.weather');
    await extractPackage(pkg, installed);
    expect(existsSync(join(installed, 'index.ts'))).toBe(false);
    const chat = await startChat({ extensions: [installed] });
    chats.push(chat);
    const answer = await chat.kernel.manager.invoke('services', 'tools', 'call', { name: 'weather', arguments: { name: 'Ada' } }, { timeoutMs: 30_000 });
    expect(answer).toMatchObject({ content: expect.stringContaining('Hello, Ada!') });
    expect(parse(readFileSync(join(installed, 'manifest.yaml'), 'utf8')).entry).toBe('./dist/extension.js');
  });

  it('refuses a project whose manifest is invalid, naming the problem', async () => {
    const dir = await project('tool');
    edit(join(dir, 'manifest.yaml'), (t) => t.replace('version: 0.1.0', 'version: latest'));
    const run = await langbotExt(['pack', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The manifest is invalid:\n {2}.*manifest\.yaml: \/version:/);
  });
});

it('keeps sources out of a package even when the project copies them into assets', async () => {
  const dir = await project('tool');
  cpSync(join(dir, 'index.ts'), join(dir, 'assets', 'copy.ts'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'logo.svg'), '<svg/>');
  const pkg = await readPackage(readFileSync((await packProject(dir, { outDir: tempDir() })).file));
  expect([...pkg.files.keys()].filter((f) => f.startsWith('assets/'))).toEqual(['assets/logo.svg']);
});
