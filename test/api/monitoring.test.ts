/**
 * The monitoring API reads what real conversations left behind: a local agent on a fake provider answers alice
 * twice, answers bob with a tool call, and fails carol's request.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startChat, startFakeLlm, type ChatHarness, type FakeLlm } from '../../sdk/testing/index.js';
import { ApiClient } from '../support/api-harness.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/chat');
/** A spreadsheet would run this as a formula; it also holds quotes, a comma and a line break. */
const TRICKY = '=HYPERLINK("http://evil.example","click, here")\nsecond line';

let chat: ChatHarness;
let fake: FakeLlm;
let api: ApiClient;
let token: string;
let before: string;

const get = async (path: string) => {
  const res = await api.get(path, { token });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
};
const service = (name: string, method: string, args: Record<string, unknown> = {}) => chat.kernel.manager.invoke('services', name, method, args, { timeoutMs: 30_000 }) as Promise<any>;

beforeAll(async () => {
  fake = await startFakeLlm({
    script: [
      { match: 'fail', error: { status: 400, type: 'invalid_request_error', message: 'Fake refusal.' } },
      { match: 'weather', toolRounds: 0, tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { match: 'weather', toolRounds: 1, reply: 'Paris: {tool_result}' },
      { reply: 'Hi {text}!' },
    ],
  });
  chat = await startChat({ extensions: [join(FIXTURES, 'weather-tool')] });
  const provider = await service('models', 'createProvider', { name: 'Fake', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-fake'] });
  const model = await service('models', 'createModel', { type: 'llm', name: 'fake-model', provider_uuid: provider.uuid, abilities: ['func_call'] });
  await chat.configure({ ai: { runner: { runner: 'local-agent' }, 'local-agent': { model: { primary: model.uuid, fallbacks: [] }, 'enable-all-tools': false, tools: ['get_weather'] } } });
  api = new ApiClient(await chat.httpUrl());
  token = await api.signUp();

  before = new Date(Date.now() - 1000).toISOString();
  await chat.user('alice').says('hello there');
  await chat.user('bob').says('weather in Paris?');
  await chat.user('alice').says(TRICKY);
  await chat.user('carol').says('please fail');
  // Messages and errors are written in batches: wait until the last turn's rows are in.
  await vi.waitFor(async () => {
    expect((await get('/api/v1/monitoring/overview')).errors).toBe(1);
    expect((await get('/api/v1/monitoring/messages?limit=1')).total).toBe(7);
  }, { timeout: 10_000, interval: 100 });
}, 90_000);
afterAll(async () => {
  await chat?.stop();
  await fake?.close();
});

/** RFC 4180 reader, enough for the test: quoted fields with doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe('monitoring overview and time series', () => {
  it('counts messages, model calls, tokens, errors and active sessions', async () => {
    const overview = await get('/api/v1/monitoring/overview');
    const chatRequests = fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
    expect(chatRequests).toBe(5);
    expect(overview).toMatchObject({
      // Three answered turns (question and reply each) and carol's unanswered question.
      total_messages: 7,
      llm_calls: 5,
      embedding_calls: 0,
      model_calls: 5,
      tool_calls: 1,
      errors: 1,
      // One query of four failed.
      success_rate: 75,
      // The pipeline records a session with its first answered turn: carol has none.
      active_sessions: 2,
    });
    const calls = (await get('/api/v1/monitoring/llm-calls')).llm_calls as { input_tokens: number; output_tokens: number; total_tokens: number }[];
    expect(overview.input_tokens).toBeGreaterThan(0);
    expect(overview.input_tokens).toBe(calls.reduce((s, c) => s + c.input_tokens, 0));
    expect(overview.output_tokens).toBe(calls.reduce((s, c) => s + c.output_tokens, 0));
    expect(overview.total_tokens).toBe(overview.input_tokens + overview.output_tokens);
  });

  it('applies bot, pipeline and time filters, as one value, repeated values or upstream’s botId[]', async () => {
    const total = async (query: string) => (await get(`/api/v1/monitoring/overview?${query}`)).total_messages;
    const bot = chat.bot_uuid;
    expect(await total(`botId=${bot}`)).toBe(7);
    expect(await total('botId=someone-else')).toBe(0);
    expect(await total(`botId=someone-else&botId=${bot}`)).toBe(7);
    expect(await total(`botId[]=${bot}`)).toBe(7);
    expect(await total(`pipelineId=${chat.pipeline_uuid}`)).toBe(7);
    expect(await total('pipelineId=other')).toBe(0);
    expect(await total(`startTime=${encodeURIComponent(before)}`)).toBe(7);
    expect(await total(`startTime=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toBe(0);
    expect(await total(`endTime=${encodeURIComponent(before)}`)).toBe(0);
    expect((await get('/api/v1/monitoring/overview?botId=nobody')).success_rate).toBe(100);
  });

  it('answers every hour of the last day, empty hours as zeros, adding up to the overview', async () => {
    const { bucket, buckets } = await get('/api/v1/monitoring/token-statistics');
    expect(bucket).toBe('hour');
    expect(buckets).toHaveLength(24);
    for (let i = 1; i < buckets.length; i++) expect(Date.parse(buckets[i].time) - Date.parse(buckets[i - 1].time)).toBe(3_600_000);
    const overview = await get('/api/v1/monitoring/overview');
    const sum = (key: string) => buckets.reduce((s: number, b: Record<string, number>) => s + b[key], 0);
    expect({ messages: sum('messages'), llm_calls: sum('llm_calls'), total_tokens: sum('total_tokens'), errors: sum('errors') }).toEqual({
      messages: 7,
      llm_calls: 5,
      total_tokens: overview.total_tokens,
      errors: 1,
    });
    expect(buckets.filter((b: { messages: number }) => b.messages === 0).length).toBeGreaterThanOrEqual(22);
  });

  it('buckets by UTC day over a given range, and refuses a range with too many buckets or an unknown bucket', async () => {
    const start = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const { buckets } = await get(`/api/v1/monitoring/token-statistics?bucket=day&startTime=${encodeURIComponent(start)}`);
    expect(buckets.map((b: { time: string }) => b.time.slice(11))).toEqual(Array(4).fill('00:00:00.000Z'));
    expect(buckets.at(-1)).toMatchObject({ messages: 7, llm_calls: 5, errors: 1 });
    const long = await api.get(`/api/v1/monitoring/token-statistics?bucket=hour&startTime=${encodeURIComponent(new Date(Date.now() - 100 * 86_400_000).toISOString())}`, { token });
    expect(long).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('at most 1000') } });
    expect((await api.get('/api/v1/monitoring/token-statistics?bucket=week', { token })).body.msg).toMatch(/bucket must be hour or day/);
  });
});

describe('monitoring lists', () => {
  it('pages messages newest first with a total', async () => {
    const first = await get('/api/v1/monitoring/messages?limit=3');
    const second = await get('/api/v1/monitoring/messages?limit=3&offset=3');
    expect([first.total, second.total]).toEqual([7, 7]);
    expect(first.messages).toHaveLength(3);
    const all = [...first.messages, ...second.messages] as { id: string; timestamp: string }[];
    expect(new Set(all.map((m) => m.id)).size).toBe(6);
    expect(all.map((m) => m.timestamp)).toEqual([...all.map((m) => m.timestamp)].sort().reverse());
    expect((await get('/api/v1/monitoring/messages')).messages).toHaveLength(7);
  });

  it('filters by session: alice’s two turns', async () => {
    const { sessions } = await get('/api/v1/monitoring/sessions');
    const alice = sessions.find((s: { user_id: string }) => s.user_id === 'alice');
    const { messages, total } = await get(`/api/v1/monitoring/messages?sessionId=${encodeURIComponent(alice.session_id)}`);
    expect(total).toBe(4);
    expect(messages.map((m: { role: string; message_content: string }) => [m.role, m.message_content]).reverse()).toEqual([
      ['user', 'hello there'],
      ['assistant', 'Hi hello there!'],
      ['user', TRICKY],
      ['assistant', `Hi ${TRICKY}!`],
    ]);
  });

  it('lists LLM calls, tool calls and errors with their origin', async () => {
    const llm = await get('/api/v1/monitoring/llm-calls');
    expect(llm.total).toBe(5);
    expect(llm.llm_calls.map((c: { status: string }) => c.status).sort()).toEqual(['error', 'success', 'success', 'success', 'success']);
    expect(llm.llm_calls[0]).toMatchObject({ model_name: 'fake-model', bot_id: chat.bot_uuid });
    const tools = await get('/api/v1/monitoring/tool-calls');
    expect(tools).toMatchObject({ total: 1, tool_calls: [{ tool_name: 'get_weather', status: 'success', pipeline_id: chat.pipeline_uuid }] });
    expect(JSON.parse(tools.tool_calls[0].arguments)).toEqual({ city: 'Paris' });
    const errors = await get('/api/v1/monitoring/errors');
    expect(errors).toMatchObject({ total: 1, errors: [{ error_message: expect.stringContaining('Fake refusal'), bot_id: chat.bot_uuid }] });
    expect(errors.errors[0].session_id).toContain('carol');
  });

  it('lists sessions, active ones by isActive', async () => {
    const all = await get('/api/v1/monitoring/sessions');
    expect(all.total).toBe(2);
    expect(all.sessions.map((s: { user_id: string }) => s.user_id).sort()).toEqual(['alice', 'bob']);
    expect(all.sessions.every((s: { is_active: boolean }) => s.is_active === true)).toBe(true);
    expect(all.sessions.find((s: { user_id: string }) => s.user_id === 'alice').message_count).toBe(2);
    expect((await get('/api/v1/monitoring/sessions?isActive=true')).total).toBe(2);
    expect((await get('/api/v1/monitoring/sessions?isActive=false')).total).toBe(0);
  });

  it('refuses bad paging and filter values, naming the parameter', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['startTime=yesterday', 'startTime'],
      ['endTime=2025-13-45T00:00:00Z', 'endTime'],
      [`startTime=${encodeURIComponent(new Date().toISOString())}&endTime=${encodeURIComponent(before)}`, 'startTime'],
    ]) {
      const res = await api.get(`/api/v1/monitoring/messages?${query}`, { token });
      expect(res, query).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining(field) } });
    }
    expect((await api.get('/api/v1/monitoring/sessions?isActive=maybe', { token })).body.msg).toMatch(/isActive/);
  });
});

describe('message details', () => {
  const messageOf = async (content: string) => (await get('/api/v1/monitoring/messages')).messages.find((m: { message_content: string }) => m.message_content === content);

  it('gives a question its turn: the reply, the LLM and tool calls, and nothing of other turns', async () => {
    const question = await messageOf('weather in Paris?');
    const details = await get(`/api/v1/monitoring/messages/${question.id}/details`);
    expect(details.message.id).toBe(question.id);
    expect(details.messages.map((m: { role: string; message_content: string }) => [m.role, m.message_content])).toEqual([
      ['user', 'weather in Paris?'],
      ['assistant', expect.stringMatching(/^Paris: /)],
    ]);
    expect(details.llm_calls).toHaveLength(2);
    expect(details.tool_calls.map((c: { tool_name: string }) => c.tool_name)).toEqual(['get_weather']);
    expect(details.errors).toEqual([]);
  });

  it('separates two turns of one session, and finds the turn of a reply', async () => {
    const first = await get(`/api/v1/monitoring/messages/${(await messageOf('hello there')).id}/details`);
    expect(first.messages.map((m: { message_content: string }) => m.message_content)).toEqual(['hello there', 'Hi hello there!']);
    expect(first.llm_calls).toHaveLength(1);
    expect(first.turn.end).not.toBeNull();
    const reply = await get(`/api/v1/monitoring/messages/${(await messageOf(`Hi ${TRICKY}!`)).id}/details`);
    expect(reply.messages.map((m: { message_content: string }) => m.message_content)).toEqual([TRICKY, `Hi ${TRICKY}!`]);
    expect(reply.turn.end).toBeNull();
  });

  it('shows a failed turn’s error and failed LLM call; 404 for an unknown id', async () => {
    const details = await get(`/api/v1/monitoring/messages/${(await messageOf('please fail')).id}/details`);
    expect(details.errors).toHaveLength(1);
    expect(details.llm_calls.map((c: { status: string }) => c.status)).toEqual(['error']);
    expect((await api.get('/api/v1/monitoring/messages/no-such-id/details', { token })).status).toBe(404);
  });
});

describe('CSV export', () => {
  it('downloads a list as CSV, quoting and defusing formula text', async () => {
    const res = await api.get(`/api/v1/monitoring/export?type=messages&sessionId=${encodeURIComponent((await get('/api/v1/monitoring/sessions')).sessions.find((s: { user_id: string }) => s.user_id === 'alice').session_id)}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="monitoring-messages-\d{8}-\d{6}\.csv"$/);
    const text = res.body as string;
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click, here"")\nsecond line"`);
    const rows = parseCsv(text.replace(/^\ufeff/, ''));
    expect(rows[0].slice(0, 3)).toEqual(['id', 'timestamp', 'bot_id']);
    expect(rows).toHaveLength(5);
    const content = rows[0].indexOf('message_content');
    expect(rows.slice(1).map((r) => r[content]).sort()).toEqual(['Hi =HYPERLINK("http://evil.example","click, here")\nsecond line!', 'Hi hello there!', "'" + TRICKY, 'hello there'].sort());
  });

  it('exports the other lists with a header even when empty, and names the allowed types otherwise', async () => {
    const llm = parseCsv(((await api.get('/api/v1/monitoring/export?type=llm-calls', { token })).body as string).replace(/^\ufeff/, ''));
    expect(llm).toHaveLength(6);
    expect(llm[0]).toContain('total_tokens');
    const none = parseCsv(((await api.get('/api/v1/monitoring/export?type=errors&botId=nobody', { token })).body as string).replace(/^\ufeff/, ''));
    expect(none).toEqual([['id', 'timestamp', 'error_type', 'error_message', 'stack_trace', 'bot_id', 'bot_name', 'pipeline_id', 'pipeline_name', 'session_id', 'message_id']]);
    for (const query of ['type=feedback', '']) {
      const res = await api.get(`/api/v1/monitoring/export?${query}`, { token });
      expect(res).toMatchObject({ status: 400, body: { code: 'bad_request', msg: 'type must be one of messages, llm-calls, tool-calls, errors, sessions.' } });
    }
  });
});

describe('basic stats and who may read', () => {
  it('counts active sessions, conversations and queries', async () => {
    const stats = await get('/api/v1/stats/basic');
    expect(stats).toMatchObject({ active_session_count: 2, query_count: 4 });
    expect(stats.conversation_count).toBeGreaterThanOrEqual(2);
  });

  it('is for signed-in users: an API key is refused', async () => {
    const key = (await api.post('/api/v1/apikeys', { name: 'reader', scopes: ['*'] }, { token })).body.data.key;
    for (const path of ['/api/v1/monitoring/overview', '/api/v1/monitoring/export?type=messages', '/api/v1/stats/basic']) {
      expect((await api.get(path, { key })).status, path).toBe(401);
    }
  });
});
