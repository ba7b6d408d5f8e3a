import { afterEach, describe, expect, it } from 'vitest';
import { startApiKernel, type ApiKernel } from '../support/api-harness.js';

const running: ApiKernel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((k) => k.kernel.stop()));
});
async function boot(dataDir?: string) {
  const k = await startApiKernel(dataDir ? { dataDir } : {});
  running.push(k);
  return k;
}

const MiB = 1024 * 1024;
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF jpeg body')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00gif body', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 webp body')]);

interface Credentials {
  token?: string;
  key?: string;
}

async function upload(k: ApiKernel, path: string, filename: string, bytes: Buffer, cred: Credentials, field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([bytes]), filename);
  const headers: Record<string, string> = {};
  if (cred.token) headers.authorization = `Bearer ${cred.token}`;
  if (cred.key) headers['x-api-key'] = cred.key;
  const res = await fetch(`${k.api.url}${path}`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as any };
}

async function download(k: ApiKernel, key: string, cred: Credentials) {
  const headers: Record<string, string> = {};
  if (cred.token) headers.authorization = `Bearer ${cred.token}`;
  if (cred.key) headers['x-api-key'] = cred.key;
  const res = await fetch(`${k.api.url}/api/v1/files/image/${key}`, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('image uploads', () => {
  it('stores an uploaded png and serves the same bytes with its content type', async () => {
    const k = await boot();
    const token = await k.api.signUp();
    const res = await upload(k, '/api/v1/files/images', 'my logo.png', PNG, { token });
    expect(res).toMatchObject({ status: 200, body: { code: 0, data: { file_key: expect.stringMatching(/^my_logo_[0-9a-f]{12}\.png$/) } } });
    const got = await download(k, res.body.data.file_key, { token });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.bytes.equals(PNG)).toBe(true);
  });

  it('accepts jpg, jpeg, gif and webp by their content, and refuses other names or content that does not match the name', async () => {
    const k = await boot();
    const token = await k.api.signUp();
    for (const [name, bytes, type] of [
      ['a.jpg', JPEG, 'image/jpeg'],
      ['b.JPEG', JPEG, 'image/jpeg'],
      ['c.gif', GIF, 'image/gif'],
      ['d.webp', WEBP, 'image/webp'],
    ] as const) {
      const res = await upload(k, '/api/v1/files/images', name, bytes, { token });
      expect(res.status, name).toBe(200);
      expect((await download(k, res.body.data.file_key, { token })).headers.get('content-type'), name).toBe(type);
    }
    const refusals = [
      ['notes.txt', PNG, /jpg, jpeg, png, gif, webp/],
      ['noext', PNG, /jpg, jpeg, png, gif, webp/],
      ['fake.png', Buffer.from('<svg onload="alert(1)"></svg>'), /not a jpg, png, gif or webp/],
      ['swapped.png', JPEG, /named \.png but its content is a jpg/],
      ['empty.png', Buffer.alloc(0), /empty/],
    ] as const;
    for (const [name, bytes, message] of refusals) {
      const res = await upload(k, '/api/v1/files/images', name, bytes, { token });
      expect(res.status, name).toBe(400);
      expect(res.body, name).toMatchObject({ code: 'bad_request', msg: expect.stringMatching(message) });
    }
    const wrongField = await upload(k, '/api/v1/files/images', 'a.png', PNG, { token }, 'image');
    expect(wrongField).toMatchObject({ status: 400, body: { msg: expect.stringContaining('`file`') } });
    const notMultipart = await k.api.post('/api/v1/files/images', { file: 'a.png' }, { token });
    expect(notMultipart).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('multipart/form-data') } });
  });

  it('takes a file of exactly 10 MiB and refuses one byte more with 413', async () => {
    const k = await boot();
    const token = await k.api.signUp();
    const largest = Buffer.concat([PNG, Buffer.alloc(10 * MiB - PNG.length, 7)]);
    const ok = await upload(k, '/api/v1/files/images', 'big.png', largest, { token });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    // More than one storage chunk: the bytes come back whole and in order.
    expect((await download(k, ok.body.data.file_key, { token })).bytes.equals(largest)).toBe(true);

    const over = await upload(k, '/api/v1/files/images', 'bigger.png', Buffer.concat([largest, Buffer.from([0])]), { token });
    expect(over).toMatchObject({ status: 413, body: { code: 'too_large' } });
    const overDocument = await upload(k, '/api/v1/files/documents', 'bigger.pdf', Buffer.alloc(10 * MiB + 1, 1), { token });
    expect(overDocument).toMatchObject({ status: 413, body: { code: 'too_large' } });
  }, 60_000);

  it('answers 404 for unknown keys and for keys that try to leave the storage', async () => {
    const k = await boot();
    const token = await k.api.signUp();
    const doc = await upload(k, '/api/v1/files/documents', 'page.html', Buffer.from('<script>alert(1)</script>'), { token });
    expect(doc.status).toBe(200);
    for (const key of ['nope_000000000000.png', '..%2F..%2Fetc%2Fpasswd', '..%5C..%5Cwindows%5Cwin.ini', '%2E%2E', '.png', 'a%00.png', doc.body.data.file_key]) {
      const res = await k.api.get(`/api/v1/files/image/${key}`, { token });
      expect(res.status, key).toBe(404);
      expect(res.body.code, key).toBe('resource_not_found');
    }
  });

  it('keeps uploads in the database across a restart', async () => {
    const first = await boot();
    const token = await first.api.signUp();
    const { body } = await upload(first, '/api/v1/files/images', 'keep.png', PNG, { token });
    await first.kernel.stop();
    running.splice(running.indexOf(first), 1);

    const second = await boot(first.dataDir);
    const auth = await second.api.post('/api/v1/user/auth', { user: 'owner@example.com', password: 'correct horse 1' });
    const got = await download(second, body.data.file_key, { token: auth.body.data.token });
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PNG)).toBe(true);
  });
});

describe('document uploads', () => {
  it('stores any document up to 10 MiB and answers its key; names with a path are refused', async () => {
    const k = await boot();
    const token = await k.api.signUp();
    const res = await upload(k, '/api/v1/files/documents', '季度报告 Q3.pdf', Buffer.from('%PDF-1.7 body'), { token });
    expect(res).toMatchObject({ status: 200, body: { data: { file_key: expect.stringMatching(/^季度报告_Q3_[0-9a-f]{12}\.pdf$/) } } });
    expect((await upload(k, '/api/v1/files/documents', 'README', Buffer.from('plain'), { token })).body.data.file_key).toMatch(/^README_[0-9a-f]{12}$/);
    expect((await upload(k, '/api/v1/files/documents', 'a.p$f', Buffer.from('x'), { token })).status).toBe(400);
  });
});

describe('upload permissions', () => {
  it('lets API keys upload with resource.manage and read with resource.view, and nothing less', async () => {
    const k = await boot();
    const token = await k.api.signUp();
    const viewer = (await k.api.post('/api/v1/apikeys', { name: 'viewer', scopes: ['resource.view'] }, { token })).body.data.key;
    const manager = (await k.api.post('/api/v1/apikeys', { name: 'manager', scopes: ['resource.manage', 'resource.view'] }, { token })).body.data.key;
    expect((await upload(k, '/api/v1/files/images', 'a.png', PNG, { key: viewer })).status).toBe(403);
    expect((await upload(k, '/api/v1/files/images', 'a.png', PNG, {})).status).toBe(401);
    const uploaded = await upload(k, '/api/v1/files/images', 'a.png', PNG, { key: manager });
    expect(uploaded.status).toBe(200);
    expect((await download(k, uploaded.body.data.file_key, { key: viewer })).status).toBe(200);
    expect((await download(k, uploaded.body.data.file_key, {})).status).toBe(401);
  });
});
