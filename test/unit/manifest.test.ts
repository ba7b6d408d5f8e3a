import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CONTRIBUTION_POINTS,
  contributionKey,
  createValidator,
  formatIssue,
  localize,
  parseManifest,
  readManifest,
  validateManifest,
  type ManifestIssue,
} from '../../kernel/manifest/index.js';

const FILE = 'extensions/acme/manifest.yaml';

const minimal = () => ({
  id: 'acme.echo',
  version: '1.0.0',
  displayName: 'Echo',
  engines: { langbot: '^0.1.0' },
});

const adapter = (id = 'telegram') => ({
  id,
  displayName: { en_US: 'Telegram', zh_Hans: '电报' },
  supportedEvents: ['message.received'],
  supportedApis: ['send_message'],
});

function issuesOf(raw: unknown): ManifestIssue[] {
  const result = validateManifest(raw, FILE);
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return result.issues;
}

function issueAt(raw: unknown, path: string): ManifestIssue {
  const issues = issuesOf(raw);
  const found = issues.find((issue) => issue.path === path);
  if (!found) throw new Error(`no issue at ${path}; got:\n${issues.map(formatIssue).join('\n')}`);
  return found;
}

describe('a valid manifest', () => {
  it('is accepted and gets its defaults filled in, without touching the input', () => {
    const raw = minimal();
    const result = validateManifest(raw, FILE);
    expect(result).toEqual({
      ok: true,
      manifest: {
        ...minimal(),
        isolation: 'process',
        activation: 'onUse',
        permissions: { services: [] },
        contributes: {},
      },
    });
    expect(raw).toEqual(minimal());
  });

  it('gets defaults inside contributions too', () => {
    const result = validateManifest(
      { ...minimal(), entry: 'index.ts', contributes: { adapters: [adapter()], eventListeners: [{ events: ['*'] }] } },
      FILE,
    );
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.manifest.contributes.adapters?.[0].platformSpecificApis).toEqual([]);
    expect(result.manifest.contributes.eventListeners?.[0].priority).toBe(0);
  });

  it('may use every contribution point at once', () => {
    const form = { type: 'object', properties: { apiKey: { type: 'string', title: 'API key', secret: true } } };
    const contributes = {
      adapters: [{ ...adapter(), platformSpecificApis: ['answer_callback'], streaming: true, config: form }],
      runners: [{ id: 'local-agent', displayName: 'Local agent', capabilities: { streaming: true, tools: true } }],
      requesters: [{ id: 'openai', displayName: 'OpenAI', modelTypes: ['llm', 'embedding'], defaultBaseUrl: 'https://api.openai.com/v1' }],
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolLoaders: [{ id: 'mcp', displayName: 'MCP' }],
      vectorStores: [{ id: 'chroma', displayName: 'Chroma', searchTypes: ['vector', 'hybrid'] }],
      eventHandlers: [{ type: 'webhook', displayName: 'Webhook' }],
      stages: [{ id: 'safety', displayName: 'Safety', after: ['trigger'], before: ['preprocess'] }],
      boxBackends: [{ id: 'docker', displayName: 'Docker' }],
      commands: [{ name: 'help', description: 'Help', aliases: ['h'], level: 'member', subcommands: [{ name: 'all', description: 'All' }] }],
      parsers: [{ id: 'pdf', displayName: 'PDF', mimeTypes: ['application/pdf'] }],
      knowledgeEngines: [{ id: 'simple-rag', displayName: 'RAG', capabilities: ['doc_ingestion'], creationSchema: form }],
      storage: [{ id: 'local-files', displayName: 'Local files', kind: 'files' }],
      pages: [{ id: 'dashboard', title: 'Dashboard', path: '/dashboard', entry: 'pages/index.html' }],
      eventListeners: [{ events: ['message.*', 'bot.message.received', 'PersonNormalMessageReceived'], priority: 10 }],
    };
    expect(Object.keys(contributes)).toEqual(CONTRIBUTION_POINTS);
    const result = validateManifest({ ...minimal(), entry: 'src/index.ts', contributes }, FILE);
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });

  it('needs no entry when it only contributes pages', () => {
    const pages = [{ id: 'about', title: 'About', path: '/about', entry: 'about.html' }];
    expect(validateManifest({ ...minimal(), contributes: { pages } }, FILE).ok).toBe(true);
  });
});

describe('every issue', () => {
  it('names the file, a JSON pointer and a plain sentence', () => {
    const issues = issuesOf({ ...minimal(), id: 'Not An Id', isolation: 'sandbox', contributes: { adapters: [{}] } });
    expect(issues.length).toBeGreaterThan(2);
    for (const issue of issues) {
      expect(issue.file).toBe(FILE);
      expect(issue.path).toMatch(/^(\/[^/]+)*$/);
      expect(issue.message).toMatch(/^[A-Z'].*[.?)]$/);
    }
    expect(issues.map((i) => i.path)).toContain('/contributes/adapters/0/id');
  });

  it('is formatted as "<file>: <path>: <message>", with (root) for the top level', () => {
    expect(formatIssue({ file: 'a/manifest.yaml', path: '/id', message: "'id' is required." })).toBe(
      "a/manifest.yaml: /id: 'id' is required.",
    );
    expect(formatIssue({ file: 'm.json', path: '', message: 'Bad.' })).toBe('m.json: (root): Bad.');
  });
});

describe('schema errors read as sentences', () => {
  it('a missing property', () => {
    const { id: _id, ...raw } = minimal();
    expect(issueAt(raw, '/id').message).toBe("'id' is required.");
    expect(issueAt({ ...minimal(), entry: 'i.js', contributes: { adapters: [{ ...adapter(), id: undefined }] } }, '/contributes/adapters/0/id').message).toBe(
      "'id' is required.",
    );
  });

  it('a typo suggests the property that was meant', () => {
    expect(issueAt({ ...minimal(), isolaton: 'worker' }, '/isolaton').message).toBe(
      "Unknown property 'isolaton' (did you mean 'isolation'?)",
    );
    const typo = { ...adapter(), supportedEvent: [] };
    expect(issueAt({ ...minimal(), entry: 'i.js', contributes: { adapters: [typo] } }, '/contributes/adapters/0/supportedEvent').message).toBe(
      "Unknown property 'supportedEvent' (did you mean 'supportedEvents'?)",
    );
  });

  it('an unknown contribution point is named as such', () => {
    expect(issueAt({ ...minimal(), contributes: { adapter: [] } }, '/contributes/adapter').message).toBe(
      "Unknown contribution point 'adapter' (did you mean 'adapters'?)",
    );
    const message = issueAt({ ...minimal(), contributes: { widgets: [] } }, '/contributes/widgets').message;
    expect(message).toMatch(/^Unknown contribution point 'widgets' \(expected one of adapters, runners, .*eventListeners\)\.$/);
  });

  it('a value outside an enum lists the allowed values', () => {
    expect(issueAt({ ...minimal(), isolation: 'sandbox' }, '/isolation').message).toBe(
      "'isolation' must be one of inprocess, worker, process, isolate.",
    );
    expect(issueAt({ ...minimal(), isolation: 'proces' }, '/isolation').message).toBe(
      "'isolation' must be one of inprocess, worker, process, isolate. Did you mean 'process'?",
    );
  });

  it('a wrong type, pattern, length or range', () => {
    expect(issueAt({ ...minimal(), keywords: 'bot' }, '/keywords').message).toBe("'keywords' must be an array.");
    expect(issueAt({ ...minimal(), id: 'Acme Echo' }, '/id').message).toMatch(/^'id' must be a lowercase id/);
    expect(issueAt({ ...minimal(), id: 'a'.repeat(65) }, '/id').message).toBe("'id' must be at most 64 characters long.");
    expect(issueAt({ ...minimal(), resources: { memoryMb: 8 } }, '/resources/memoryMb').message).toBe("'memoryMb' must be at least 16.");
    expect(issueAt({ ...minimal(), resources: { memoryMb: 1.5 } }, '/resources/memoryMb').message).toBe("'memoryMb' must be an integer.");
    const requester = { id: 'openai', displayName: 'OpenAI', modelTypes: [] };
    expect(issueAt({ ...minimal(), entry: 'i.js', contributes: { requesters: [requester] } }, '/contributes/requesters/0/modelTypes').message).toBe(
      "'modelTypes' must have at least 1 item.",
    );
    const tool = { name: 'x', description: 'X', parameters: { type: 'array' } };
    expect(issueAt({ ...minimal(), entry: 'i.js', contributes: { tools: [tool] } }, '/contributes/tools/0/parameters/type').message).toBe(
      "'type' must be 'object'.",
    );
  });

  it('an i18n string gets one message, not one per alternative', () => {
    const issues = issuesOf({ ...minimal(), displayName: 42 });
    expect(issues).toEqual([
      { file: FILE, path: '/displayName', message: "'displayName' must be a string or an object of translations with at least an 'en_US' key." },
    ]);
    expect(issuesOf({ ...minimal(), displayName: { zh_Hans: '回声' } })).toEqual([
      { file: FILE, path: '/displayName/en_US', message: "'en_US' is required." },
    ]);
    expect(issueAt({ ...minimal(), displayName: { en_US: 'Echo', english: 'Echo' } }, '/displayName/english').message).toMatch(
      /^Unknown locale 'english'/,
    );
    expect(validateManifest({ ...minimal(), displayName: { en_US: 'Echo', ja_JP: 'エコー' } }, FILE).ok).toBe(true);
  });

  it('event listener patterns', () => {
    const listen = (events: string[]) => ({ ...minimal(), entry: 'i.js', contributes: { eventListeners: [{ events }] } });
    expect(validateManifest(listen(['*', 'message.*', 'message.received', 'GroupNormalMessageReceived']), FILE).ok).toBe(true);
    expect(issueAt(listen(['message received']), '/contributes/eventListeners/0/events/0').message).toMatch(
      /^'events\[0\]' must be an event pattern/,
    );
    expect(issueAt(listen([]), '/contributes/eventListeners/0/events').message).toBe("'events' must have at least 1 item.");
  });

  it('a manifest that is not an object', () => {
    expect(issuesOf(['id'])).toEqual([
      { file: FILE, path: '', message: 'The manifest must be an object (a YAML mapping or JSON object).' },
    ]);
  });
});

describe('checks beyond JSON Schema', () => {
  it('the version is a semantic version according to the semver package', () => {
    expect(issueAt({ ...minimal(), version: '1.0' }, '/version').message).toMatch(/semantic version/);
    expect(issueAt({ ...minimal(), version: '99999999999999999999.0.0' }, '/version').message).toBe(
      "'version' must be a semantic version such as 1.0.0 (got '99999999999999999999.0.0').",
    );
    expect(validateManifest({ ...minimal(), version: '2.1.0-beta.1+build.5' }, FILE).ok).toBe(true);
  });

  it('engines.langbot is a semver range', () => {
    expect(issueAt({ ...minimal(), engines: { langbot: 'latest' } }, '/engines/langbot').message).toBe(
      "'engines.langbot' must be a semver range such as ^1.0.0 or >=1.2 <2 (got 'latest').",
    );
    expect(validateManifest({ ...minimal(), engines: { langbot: '>=0.1 <2 || 3.x' } }, FILE).ok).toBe(true);
  });

  it('the entry stays inside the extension folder', () => {
    for (const entry of ['/usr/lib/evil.js', 'C:\\evil.js', 'https://example.com/x.js']) {
      expect(issueAt({ ...minimal(), entry }, '/entry').message).toMatch(/relative to the extension folder/);
    }
    for (const entry of ['../evil.js', 'src/../../evil.js', 'src\\..\\..\\evil.js']) {
      expect(issueAt({ ...minimal(), entry }, '/entry').message).toMatch(/must stay inside the extension folder/);
    }
    expect(validateManifest({ ...minimal(), entry: './dist/index.js' }, FILE).ok).toBe(true);
    const page = { id: 'p', title: 'P', path: '/p', entry: '../p.html' };
    expect(issueAt({ ...minimal(), contributes: { pages: [page] } }, '/contributes/pages/0/entry').message).toMatch(/inside/);
  });

  it('contribution ids are unique within a point', () => {
    const raw = {
      ...minimal(),
      entry: 'i.js',
      contributes: {
        adapters: [adapter('telegram'), adapter('discord'), adapter('telegram')],
        tools: [1, 2].map(() => ({ name: 'search', description: 'S', parameters: { type: 'object' } })),
        eventHandlers: [1, 2].map(() => ({ type: 'webhook', displayName: 'W' })),
        runners: [{ id: 'telegram', displayName: 'Same id, other point: fine' }],
      },
    };
    const issues = issuesOf(raw);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['/contributes/adapters/2/id', "Duplicate id 'telegram' in adapters (already declared at /contributes/adapters/0)."],
      ['/contributes/tools/1/name', "Duplicate name 'search' in tools (already declared at /contributes/tools/0)."],
      ['/contributes/eventHandlers/1/type', "Duplicate type 'webhook' in eventHandlers (already declared at /contributes/eventHandlers/0)."],
    ]);
  });

  it('an entry is required as soon as something other than pages is contributed', () => {
    expect(issueAt({ ...minimal(), contributes: { adapters: [adapter()] } }, '/entry').message).toBe(
      "'entry' is required because the extension contributes adapters (only pages need no code).",
    );
  });

  it("isolation 'isolate' cannot have fs, childProcess or worker permissions", () => {
    const raw = {
      ...minimal(),
      isolation: 'isolate',
      permissions: { fs: { read: ['data'] }, childProcess: true, worker: true, network: true },
    };
    expect(issuesOf(raw).map((i) => i.path)).toEqual(['/permissions/fs', '/permissions/childProcess', '/permissions/worker']);
    expect(issueAt(raw, '/permissions/childProcess').message).toBe(
      "'childProcess' permission is not available: isolation 'isolate' has no Node APIs.",
    );
    const allowed = { ...minimal(), isolation: 'isolate', permissions: { services: ['llm'], network: true, fs: {} } };
    expect(validateManifest(allowed, FILE).ok).toBe(true);
  });

  it('tool parameters are a valid JSON Schema', () => {
    const tool = { name: 'search', description: 'S', parameters: { type: 'object', properties: { q: { type: 'text' } } } };
    const issue = issueAt({ ...minimal(), entry: 'i.js', contributes: { tools: [tool] } }, '/contributes/tools/0/parameters/properties/q/type');
    expect(issue.message).toMatch(/^Not a valid JSON Schema: 'type' must be 'array', 'boolean', .* or an array\.$/);
  });

  it('config forms are consistent: required fields exist, defaults and enum labels fit', () => {
    const config = {
      type: 'object',
      properties: {
        mode: { type: 'string', title: 'Mode', enum: ['a', 'b'], enumLabels: ['A'], default: 'c' },
        retries: { type: 'integer', title: 'Retries', default: '3' },
      },
      required: ['mode', 'timeout'],
    };
    const issues = issuesOf({ ...minimal(), config });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['/config/required/1', "'required' lists 'timeout', which is not a field here."],
      ['/config/properties/mode/enumLabels', "'enumLabels' must have one label per enum value (2)."],
      ['/config/properties/mode/default', "'default' must be one of the enum values (a, b)."],
      ['/config/properties/retries/default', "'default' must be an integer like the field itself."],
    ]);
  });

  it('config forms themselves are validated', () => {
    const config = { type: 'object', properties: { key: { type: 'string', title: 'Key', widget: 'password' } } };
    expect(issueAt({ ...minimal(), config }, '/config/properties/key/widget').message).toMatch(
      /^'widget' must be one of text, secret, /,
    );
    const nested = { type: 'object', properties: { list: { type: 'array', title: 'L', items: { type: 'text', title: 'I' } } } };
    expect(issueAt({ ...minimal(), config: nested }, '/config/properties/list/items/type').message).toMatch(/must be one of string, number/);
  });
});

describe('readManifest', () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  async function folder(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'langbot-manifest-'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return dir;
  }

  it('reads and validates manifest.yaml', async () => {
    const d = await folder({ 'manifest.yaml': 'id: acme.echo\nversion: 1.0.0\ndisplayName:\n  en_US: Echo\nengines:\n  langbot: ^0.1.0\n' });
    const result = await readManifest(d);
    expect(result).toMatchObject({ ok: true, file: join(d, 'manifest.yaml'), issues: [], manifest: { id: 'acme.echo' } });
  });

  it('reads manifest.json', async () => {
    const d = await folder({ 'manifest.json': JSON.stringify(minimal()) });
    expect(await readManifest(d)).toMatchObject({ ok: true, file: join(d, 'manifest.json') });
  });

  it('reports validation issues against the manifest file', async () => {
    const d = await folder({ 'manifest.yml': 'id: acme.echo\nversion: 1.0.0\ndisplayName: Echo\nengines: {langbot: ^0.1.0}\nisolaton: worker\n' });
    const result = await readManifest(d);
    expect(result.ok).toBe(false);
    expect(result.issues.map(formatIssue)).toEqual([
      `${join(d, 'manifest.yml')}: /isolaton: Unknown property 'isolaton' (did you mean 'isolation'?)`,
    ]);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const d = await folder({ 'manifest.yaml': 'id: acme.echo\nversion: 1.0.0\ndisplayName: [Echo\nengines:\n  langbot: ^0.1.0\n' });
    const result = await readManifest(d);
    expect(result.ok).toBe(false);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ file: join(d, 'manifest.yaml'), path: '' });
    expect(result.issues[0].message).toMatch(/^YAML syntax error at line \d+, column \d+: .+\.$/);
  });

  it('points at the line of a duplicated key', async () => {
    const d = await folder({ 'manifest.yaml': 'id: acme.echo\nversion: 1.0.0\nid: acme.other\n' });
    const [issue] = (await readManifest(d)).issues;
    expect(issue.message).toBe('YAML syntax error at line 3, column 1: Map keys must be unique.');
  });

  it('reports a JSON syntax error with its line and column', async () => {
    const d = await folder({ 'manifest.json': '{\n  "id": "acme.echo",\n  "version": "1.0.0",\n}\n' });
    const [issue] = (await readManifest(d)).issues;
    expect(issue.message).toMatch(/^JSON syntax error at line 4, column 1: /);
    const trailingComma = parseManifest('{\n  "keywords": ["bot",]\n}', 'm.json').issues[0];
    expect(trailingComma.message).toMatch(/^JSON syntax error at line 2, column 22: Unexpected token '\]'\.$/);
  });

  it('needs exactly one manifest in the folder', async () => {
    const empty = await folder({ 'index.ts': '' });
    expect((await readManifest(empty)).issues).toEqual([
      { file: empty, path: '', message: 'No manifest found (expected manifest.yaml, manifest.yml, manifest.json).' },
    ]);
    await rm(empty, { recursive: true });
    const two = await folder({ 'manifest.yaml': '', 'manifest.json': '{}' });
    expect((await readManifest(two)).issues[0].message).toBe(
      'Found more than one manifest (manifest.yaml, manifest.json); keep exactly one.',
    );
  });
});

describe('helpers', () => {
  it('contributionKey returns the id, name or type of an entry, or its index', () => {
    expect(contributionKey('adapters', { id: 'telegram' }, 0)).toBe('telegram');
    expect(contributionKey('tools', { name: 'search' }, 0)).toBe('search');
    expect(contributionKey('commands', { name: 'help' }, 0)).toBe('help');
    expect(contributionKey('eventHandlers', { type: 'webhook' }, 0)).toBe('webhook');
    expect(contributionKey('eventListeners', { events: ['*'] }, 3)).toBe('#3');
  });

  it('localize picks the locale, then the same language, then en_US', () => {
    const text = { en_US: 'Hello', zh_Hans: '你好' };
    expect(localize(text)).toBe('Hello');
    expect(localize(text, 'zh_Hans')).toBe('你好');
    expect(localize(text, 'zh_Hant')).toBe('你好');
    expect(localize(text, 'ja_JP')).toBe('Hello');
    expect(localize('plain', 'zh_Hans')).toBe('plain');
    expect(localize(undefined)).toBe('');
  });

  it('createValidator checks any schema with the same issue shape and applies defaults', () => {
    const check = createValidator(Type.Object({ name: Type.String(), limit: Type.Integer({ default: 10 }) }), 'POST /api/v1/bots');
    const body: Record<string, unknown> = { name: 'bot' };
    expect(check(body)).toEqual({ ok: true, value: { name: 'bot', limit: 10 } });
    expect(check({ limit: 'x' })).toEqual({
      ok: false,
      issues: [
        { file: 'POST /api/v1/bots', path: '/name', message: "'name' is required." },
        { file: 'POST /api/v1/bots', path: '/limit', message: "'limit' must be an integer." },
      ],
    });
  });
});
