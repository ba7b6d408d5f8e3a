import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChat, type ChatHarness } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed: it checks the manifest as it would for any drop-in.
let chat: ChatHarness;

beforeAll(async () => {
  chat = await startChat({ extensions: [import.meta.dirname] });
});

afterAll(async () => {
  await chat?.stop();
});

describe('{{key}} page', () => {
  it('is accepted by the kernel', () => {
    const record = chat.kernel.manager.get('{{id}}');
    expect(record?.issues).toEqual([]);
    expect(record?.state).not.toBe('failed');
    expect(record?.manifest?.contributes.pages).toEqual([expect.objectContaining({ id: '{{key}}', path: '/{{key}}' })]);
  });

  it('has its files, and links only to files next to it', () => {
    const dir = join(import.meta.dirname, 'pages');
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<title>{{title}}</title>');
    for (const [, href] of html.matchAll(/(?:href|src)="\.\/([^"]+)"/g)) expect(existsSync(join(dir, href)), href).toBe(true);
  });
});
