import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { initRegistry } from '../../marketplace/builder.js';
import { parseIndex } from '../../marketplace/index-format.js';
import { serveRegistry, type RegistryServer } from '../../marketplace/server.js';
import { readPackage } from '../../sdk/packaging/index.js';
import { createProject } from '../../sdk/cli/create.js';
import { packProject } from '../../sdk/cli/pack.js';
import { langbotExt, tempDir } from './support.js';

const servers: RegistryServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function registry() {
  const dir = tempDir('langbot-registry-');
  const { token } = await initRegistry(dir, { name: 'Test registry' });
  const server = await serveRegistry(dir, { port: 0 });
  servers.push(server);
  return { dir, token, url: server.url, index: () => parseIndex(readFileSync(join(dir, 'index.json'))) };
}

const project = async () => (await createProject('weather', { kind: 'tool', dir: tempDir(), id: 'acme.weather' })).dir;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('langbot-ext publish', () => {
  it('packs a project folder and uploads it; the registry lists the version', async () => {
    const reg = await registry();
    const dir = await project();
    const run = await langbotExt(['publish', dir, '--registry', reg.url, '--token', reg.token]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [entry] = reg.index().extensions;
    expect(entry).toMatchObject({ id: 'acme.weather', latest: '0.1.0', kinds: ['tools'] });
    expect(run.stdout).toContain(`Published acme.weather 0.1.0 to ${reg.url} (sha256 ${entry.versions[0].package.sha256}`);
    const stored = await readPackage(readFileSync(join(reg.dir, entry.versions[0].package.path)));
    expect(stored.manifest.entry).toBe('./dist/extension.js');
  });

  it('uploads a .tgz as it is, with the token from LANGBOT_REGISTRY_TOKEN', async () => {
    const reg = await registry();
    const packed = await packProject(await project(), { outDir: tempDir() });
    const run = await langbotExt(['publish', packed.file, '--registry', `${reg.url}/`], { env: { LANGBOT_REGISTRY_TOKEN: reg.token } });
    expect(run.code).toBe(0);
    expect(reg.index().extensions[0].versions[0].package).toMatchObject({ sha256: packed.sha256, size: packed.size });
  });

  it('explains a refused token, a version that exists with other contents, and a bad package', async () => {
    const reg = await registry();
    const dir = await project();
    const denied = await langbotExt(['publish', dir, '--registry', reg.url, '--token', 'wrong']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('The registry refused the token (401)');
    expect(denied.stderr).toContain('Check --token or LANGBOT_REGISTRY_TOKEN');

    expect((await langbotExt(['publish', dir, '--registry', reg.url, '--token', reg.token])).code).toBe(0);
    // The same bytes again change nothing.
    expect((await langbotExt(['publish', dir, '--registry', reg.url, '--token', reg.token])).code).toBe(0);
    writeFileSync(join(dir, 'README.md'), '# Weather\n\nNew words, same version.\n');
    const exists = await langbotExt(['publish', dir, '--registry', reg.url, '--token', reg.token]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/already has this version with other contents \(409\): acme\.weather 0\.1\.0 .*Bump 'version' in the manifest/);

    const junk = join(tempDir(), 'junk.tgz');
    writeFileSync(junk, 'not a package');
    const bad = await langbotExt(['publish', junk, '--registry', reg.url, '--token', reg.token]);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('The registry refused the package (400)') });
    expect(reg.index().extensions[0].versions).toHaveLength(1);
  });

  it('says when the registry cannot be reached, and what is missing before it tries', async () => {
    const dir = await project();
    const port = await closedPort();
    const down = await langbotExt(['publish', dir, '--registry', `http://127.0.0.1:${port}`, '--token', 't']);
    expect(down).toMatchObject({ code: 1, stderr: expect.stringContaining(`Cannot reach the registry at http://127.0.0.1:${port}`) });
    const noToken = await langbotExt(['publish', dir, '--registry', 'http://127.0.0.1:1']);
    expect(noToken).toMatchObject({ code: 1, stderr: expect.stringContaining('A publish token is needed') });
    const folder = await langbotExt(['publish', dir, '--registry', '/srv/registry', '--token', 't']);
    expect(folder).toMatchObject({ code: 1, stderr: expect.stringContaining("--registry must be an http(s) URL such as http://127.0.0.1:5320, not '/srv/registry'") });
  });
});
