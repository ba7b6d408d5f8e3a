import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiKernel, type ApiKernel } from '../support/api-harness.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A real HTTP receiver; `answer` decides each reply (a status, or a function that replies itself). */
class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received, res: ServerResponse) => number | void = () => 200;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const request = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) };
        this.received.push(request);
        const status = this.answer(request, res);
        if (typeof status === 'number') res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const running: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function setUp(http: Record<string, unknown> = {}) {
  const k: ApiKernel = await startApiKernel({ http: { webhookRetryDelayMs: 50, ...http } });
  running.push(k.kernel);
  const receiver = await new Receiver().start();
  running.push(receiver);
  const token = await k.api.signUp();
  const bot = (await k.api.post('/api/v1/platform/bots', { name: 'Hooked', adapter: 'mock', enable: true }, { token })).body.data.bot;
  const emit = (event: Record<string, unknown>) => k.tool('emit', { event: { timestamp: 1_700_000_000, bot_uuid: bot.uuid, adapter_name: 'mock', ...event } });
  const message = (text: string) =>
    emit({ type: 'message.received', message_id: `m-${text}`, message_chain: [{ type: 'Plain', text }], sender: { id: 'u-1', nickname: 'Alice' }, chat_type: 'private', chat_id: 'u-1' });
  const joined = () => emit({ type: 'group.member_joined', group: { id: 'g-1' }, member: { id: 'u-2' } });
  return { k, api: k.api, token, receiver, bot, message, joined };
}

async function waitFor<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sign = (secret: string, timestamp: string, raw: string) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;

describe('managing webhooks', () => {
  it('creates, lists, reads, changes and deletes webhooks, with the secret masked', async () => {
    const { api, token, receiver } = await setUp();
    const created = await api.post('/api/v1/webhooks', { name: 'CRM', url: `${receiver.url}/crm`, secret: 'top-secret-1' }, { token });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    expect(created.body.data.webhook).toMatchObject({ id, uuid: id, name: 'CRM', description: '', enabled: true, events: ['*'], secret: '******', last_delivery: null });
    expect(JSON.stringify((await api.get('/api/v1/webhooks', { token })).body)).not.toContain('top-secret-1');
    expect((await api.get('/api/v1/webhooks', { token })).body.data.webhooks.map((w: { id: string }) => w.id)).toEqual([id]);

    const changed = await api.put(`/api/v1/webhooks/${id}`, { description: 'Sales', events: ['message.*'], enabled: false, secret: '******' }, { token });
    expect(changed.body.data.webhook).toMatchObject({ description: 'Sales', events: ['message.*'], enabled: false, secret: '******' });
    expect((await api.put(`/api/v1/webhooks/${id}`, { secret: '' }, { token })).body.data.webhook.secret).toBe('');
    expect((await api.get(`/api/v1/webhooks/${id}`, { token })).body.data.webhook.name).toBe('CRM');

    expect((await api.delete(`/api/v1/webhooks/${id}`, { token })).status).toBe(200);
    expect((await api.get(`/api/v1/webhooks/${id}`, { token })).status).toBe(404);
    expect((await api.delete(`/api/v1/webhooks/${id}`, { token })).status).toBe(404);
    expect((await api.put('/api/v1/webhooks/nope', { name: 'x' }, { token })).status).toBe(404);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const { api, token } = await setUp({ maxWebhooks: 1 });
    for (const [body, field] of [
      [{ url: 'https://example.com/h' }, 'name'],
      [{ name: 'x' }, 'url'],
      [{ name: 'x', url: 'ftp://example.com/h' }, 'url'],
      [{ name: 'x', url: 'file:///etc/passwd' }, 'url'],
      [{ name: 'x', url: 'not a url' }, 'url'],
      [{ name: 'x', url: 'https://user:pw@example.com/' }, 'url'],
      [{ name: '  ', url: 'https://example.com/h' }, 'name'],
      [{ name: 'x', url: 'https://example.com/h', events: ['message.nope'] }, 'events'],
      [{ name: 'x', url: 'https://example.com/h', events: [] }, 'events'],
      [{ name: 'x', url: 'https://example.com/h', enabled: 'yes' }, 'enabled'],
      [{ name: 'x', url: 'https://example.com/h', secret: '******' }, 'secret'],
    ] as const) {
      const res = await api.post('/api/v1/webhooks', body, { token });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.msg, JSON.stringify(body)).toContain(field);
    }
    expect((await api.post('/api/v1/webhooks', { name: 'one', url: 'https://example.com/1' }, { token })).status).toBe(200);
    const second = await api.post('/api/v1/webhooks', { name: 'two', url: 'https://example.com/2' }, { token });
    expect(second).toMatchObject({ status: 400, body: { msg: expect.stringContaining('maxWebhooks') } });
  });
});

describe('delivering events', () => {
  it('POSTs each event as signed JSON and records the delivery on the webhook', async () => {
    const { api, token, receiver, bot, message } = await setUp();
    const id = (await api.post('/api/v1/webhooks', { name: 'Signed', url: `${receiver.url}/signed`, secret: 'hook-secret-1' }, { token })).body.data.id;
    // Sending the mask back keeps the stored secret.
    await api.put(`/api/v1/webhooks/${id}`, { secret: '******', name: 'Signed' }, { token });
    await message('hello');

    const [request] = await waitFor(() => receiver.at('/signed'), (r) => r.length >= 1, 'a delivery');
    const timestamp = String(request!.headers['x-langbot-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.headers['x-langbot-signature']).toBe(sign('hook-secret-1', timestamp, request!.raw));
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-langbot-event']).toBe('message.received');
    expect(request!.body).toEqual({
      uuid: request!.headers['x-langbot-delivery'],
      event_type: 'message.received',
      timestamp: 1_700_000_000,
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      bot: { uuid: bot.uuid, name: 'Hooked', adapter: 'mock' },
      data: expect.objectContaining({ type: 'message.received', bot_uuid: bot.uuid, message_chain: [{ type: 'Plain', text: 'hello' }], sender: { id: 'u-1', nickname: 'Alice' }, chat_type: 'private' }),
    });

    const shown = await waitFor(async () => (await api.get(`/api/v1/webhooks/${id}`, { token })).body.data.webhook, (w) => w.last_delivery !== null, 'the recorded delivery');
    expect(shown.last_delivery).toMatchObject({ status: 'delivered', event_type: 'message.received', response_status: 200, error: null, attempts: 1 });
    expect(shown.delivery_stats).toMatchObject({ delivered: 1, failed: 0, dropped: 0 });
    // Exactly once: a later poll does not send it again.
    await new Promise((r) => setTimeout(r, 1200));
    expect(receiver.at('/signed')).toHaveLength(1);
  });

  it('retries after a 500 with the same delivery id, and records a delivery that keeps failing', async () => {
    const { api, token, receiver, message } = await setUp();
    let flaky = 0;
    receiver.answer = (r) => (r.path === '/flaky' ? (flaky++ === 0 ? 500 : 200) : r.path === '/down' ? 503 : 404);
    const flakyId = (await api.post('/api/v1/webhooks', { name: 'Flaky', url: `${receiver.url}/flaky` }, { token })).body.data.id;
    const downId = (await api.post('/api/v1/webhooks', { name: 'Down', url: `${receiver.url}/down` }, { token })).body.data.id;
    const goneId = (await api.post('/api/v1/webhooks', { name: 'Gone', url: `${receiver.url}/gone` }, { token })).body.data.id;
    await message('retry me');

    const tries = await waitFor(() => receiver.at('/flaky'), (r) => r.length >= 2, 'a retry');
    expect(tries[1]!.body.uuid).toBe(tries[0]!.body.uuid);
    expect(tries[1]!.headers['x-langbot-delivery']).toBe(tries[0]!.headers['x-langbot-delivery']);
    expect(tries[0]!.headers['x-langbot-signature']).toBeUndefined();

    const read = (id: string) => async () => (await api.get(`/api/v1/webhooks/${id}`, { token })).body.data.webhook;
    expect((await waitFor(read(flakyId), (w) => w.last_delivery !== null, 'flaky outcome')).last_delivery).toMatchObject({ status: 'delivered', attempts: 2, response_status: 200 });
    const down = await waitFor(read(downId), (w) => w.last_delivery !== null, 'down outcome');
    expect(down.last_delivery).toMatchObject({ status: 'failed', attempts: 4, response_status: 503, error: 'HTTP 503' });
    expect(receiver.at('/down')).toHaveLength(4);
    // A 404 is not worth retrying.
    const gone = await waitFor(read(goneId), (w) => w.last_delivery !== null, 'gone outcome');
    expect(gone.last_delivery).toMatchObject({ status: 'failed', attempts: 1, response_status: 404 });
  });

  it('sends nothing to a disabled webhook, only the event types a webhook asks for, and nothing from before', async () => {
    const { api, token, receiver, message, joined } = await setUp();
    await message('before any webhook');
    await api.post('/api/v1/webhooks', { name: 'All', url: `${receiver.url}/all` }, { token });
    await api.post('/api/v1/webhooks', { name: 'Off', url: `${receiver.url}/off`, enabled: false }, { token });
    await api.post('/api/v1/webhooks', { name: 'Groups', url: `${receiver.url}/groups`, events: ['group.*'] }, { token });
    const later = (await api.post('/api/v1/webhooks', { name: 'Later off', url: `${receiver.url}/later` }, { token })).body.data.id;
    await api.put(`/api/v1/webhooks/${later}`, { enabled: false }, { token });
    await message('one');
    await joined();

    await waitFor(() => receiver.at('/all'), (r) => r.length === 2, 'both events at /all');
    await waitFor(() => receiver.at('/groups'), (r) => r.length === 1, 'the group event');
    await new Promise((r) => setTimeout(r, 1200));
    expect(receiver.at('/all').map((r) => r.body.event_type)).toEqual(['message.received', 'group.member_joined']);
    expect(receiver.at('/all')[0]!.body.data.message_chain).toEqual([{ type: 'Plain', text: 'one' }]);
    expect(receiver.at('/groups').map((r) => r.body.event_type)).toEqual(['group.member_joined']);
    expect(receiver.at('/off')).toEqual([]);
    expect(receiver.at('/later')).toEqual([]);
  });

  it('never makes the sender wait: a stuck receiver fills its bounded queue and later events are dropped and counted', async () => {
    const { api, token, receiver, message } = await setUp({ webhookQueueSize: 2, webhookTimeoutSeconds: 60 });
    const held: ServerResponse[] = [];
    receiver.answer = (_r, res) => void held.push(res);
    const id = (await api.post('/api/v1/webhooks', { name: 'Stuck', url: `${receiver.url}/stuck` }, { token })).body.data.id;
    await message('first');
    await waitFor(() => receiver.at('/stuck'), (r) => r.length === 1, 'the first delivery to hang');

    const started = Date.now();
    for (const text of ['2', '3', '4', '5']) await message(text);
    expect(Date.now() - started).toBeLessThan(2000);
    const stats = await waitFor(async () => (await api.get(`/api/v1/webhooks/${id}`, { token })).body.data.webhook.delivery_stats, (s) => s.dropped === 3, 'dropped events');
    expect(stats).toMatchObject({ pending: 2, dropped: 3 });

    receiver.answer = () => 200;
    for (const res of held) res.writeHead(200).end();
    await waitFor(() => receiver.at('/stuck'), (r) => r.length === 2, 'the queued event');
    expect(receiver.at('/stuck').map((r) => r.body.data.message_chain[0].text)).toEqual(['first', '2']);
  });
});
