import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { helloExtension, writeExtension } from '../support/kernel-harness.js';
import { buildCli, langbot, readJson, startKernel, tempDataDir } from './cli-helpers.js';

type Kernel = ReturnType<typeof startKernel>;
const running: Kernel[] = [];
const status = (data: string) => (existsSync(join(data, 'status.json')) ? readJson(join(data, 'status.json')) : undefined);
const extensionStatus = (data: string, id: string) => status(data)?.extensions[id];

async function ready(kernel: Kernel) {
  await expect.poll(() => kernel.lines.find((l) => l.msg === 'Kernel ready'), { timeout: 10_000 }).toBeDefined();
  return kernel.lines.find((l) => l.msg === 'Kernel ready')!;
}

beforeAll(() => buildCli());
afterEach(async () => {
  await Promise.all(running.splice(0).map((k) => k.stop()));
});

describe('langbot start', () => {
  it('starts the core profile, reports every extension with its state, and stops on SIGTERM', async () => {
    const data = tempDataDir();
    const kernel = startKernel('--profile', 'core', '--data', data);
    running.push(kernel);
    const line = await ready(kernel);
    expect(line).toMatchObject({ level: 30, profile: 'core', active: 1, pending: 3, failed: 0 });
    expect(line.ms).toBeLessThan(5000);
    // One summary line per extension follows `Kernel ready`: id, state, reason.
    const summary = () => kernel.lines.slice(kernel.lines.indexOf(line) + 1).map((l) => l.msg).filter((m) => m.startsWith('langbot.hello-'));
    await expect.poll(summary).toEqual([
      expect.stringMatching(/^langbot\.hello-inprocess +active +Running under the inprocess host\.$/),
      expect.stringMatching(/^langbot\.hello-isolate +pending +Waiting for first use/),
      expect.stringMatching(/^langbot\.hello-process +pending +Waiting for first use/),
      expect.stringMatching(/^langbot\.hello-worker +pending +Waiting for first use/),
    ]);
    expect(status(data)).toMatchObject({ pid: kernel.child.pid, profile: 'core' });
    expect(extensionStatus(data, 'langbot.hello-inprocess')).toMatchObject({ state: 'active', version: '0.1.0', isolation: 'inprocess', source: 'builtin' });

    running.splice(0);
    expect(await kernel.stop()).toBe(0);
    expect(kernel.lines.at(-1)?.msg).toBe('Stopped.');
    expect(existsSync(join(data, 'status.json'))).toBe(false);
  });

  it('refuses a second kernel on the same data folder', async () => {
    const data = tempDataDir();
    const kernel = startKernel('--data', data);
    running.push(kernel);
    await ready(kernel);
    const second = await langbot('start', '--data', data);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`A kernel (pid ${kernel.child.pid}) is already running`);
  });

  it('applies ext disable/enable and ext install from other CLI processes', async () => {
    const data = tempDataDir();
    const kernel = startKernel('--profile', 'full', '--data', data);
    running.push(kernel);
    await ready(kernel);

    const disabled = await langbot('ext', 'disable', 'langbot.hello-inprocess', '--data', data);
    expect(disabled.stdout).toContain(`The running kernel (pid ${kernel.child.pid}) applies it now.`);
    await expect.poll(() => extensionStatus(data, 'langbot.hello-inprocess'), { timeout: 5000 }).toMatchObject({ state: 'disposed', enabled: false });
    await langbot('ext', 'enable', 'langbot.hello-inprocess', '--data', data);
    await expect.poll(() => extensionStatus(data, 'langbot.hello-inprocess'), { timeout: 5000 }).toMatchObject({ state: 'active', enabled: true });

    const source = writeExtension(tempDataDir(), 'src', helloExtension({ id: 'demo.live', greeting: 'Hi', isolation: 'worker' }));
    expect((await langbot('ext', 'install', source, '--data', data)).stdout).toContain('The running kernel');
    await expect.poll(() => extensionStatus(data, 'demo.live'), { timeout: 5000 }).toMatchObject({ state: 'active', source: 'dropin' });
    const list = await langbot('ext', 'list', '--data', data);
    expect(list.stdout).toMatch(/demo\.live +1\.0\.0 +dropin +worker +yes +active/);
    expect(list.stdout).toContain(`Live state from the kernel running with pid ${kernel.child.pid}.`);

    await langbot('ext', 'remove', 'demo.live', '--data', data);
    await expect.poll(() => extensionStatus(data, 'demo.live'), { timeout: 5000 }).toBeUndefined();
  });

  it('shows and changes an extension\'s settings with ext config; a running kernel restarts it with them', async () => {
    const data = tempDataDir();
    const kernel = startKernel('--data', data);
    running.push(kernel);
    expect(await ready(kernel)).toMatchObject({ profile: 'full' });

    const shown = await langbot('ext', 'config', 'langbot.adapter-debug-chat', '--data', data);
    expect(shown.stdout).toContain('port = 0');
    const refused = await langbot('ext', 'config', 'langbot.adapter-debug-chat', 'port=99999', '--data', data);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/nothing was changed[\s\S]*port/);
    expect((await langbot('ext', 'config', 'langbot.adapter-debug-chat', 'colour=red', '--data', data)).stderr).toMatch(/no setting 'colour'/);

    const port = await freePort();
    const changed = await langbot('ext', 'config', 'langbot.adapter-debug-chat', 'token=s3cret', `port=${port}`, '--data', data);
    expect(changed.stdout).toContain(`The running kernel (pid ${kernel.child.pid}) restarts it now.`);
    expect(changed.stdout).toContain('token = "******"');

    // The restarted debug chat listens on the new port and accepts the new token.
    const connected = await expect
      .poll(async () => {
        try {
          return await firstFrame(`ws://127.0.0.1:${port}/api/v1/pipelines/any/ws/connect`, { type: 'authenticate', token: 's3cret' });
        } catch {
          return undefined;
        }
      }, { timeout: 10_000 })
      .toMatchObject({ type: 'connected' });
    void connected;
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function firstFrame(url: string, send: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify(send)));
    ws.once('message', (data) => {
      resolve(JSON.parse(String(data)));
      ws.close();
    });
  });
}
